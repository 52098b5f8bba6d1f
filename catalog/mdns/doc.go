// Package mdns finds Swarm peers on the local network with multicast DNS
// (go-libp2p's p2p/discovery/mdns under a service name of our own,
// "_swarm._udp") and connects to them, so that the DHT and the downloader
// can use them.
//
// mDNS finds peers, not content: a Service does not implement
// catalog.Discovery. Once connected, a LAN peer that runs the DHT joins the
// routing table, and FindProviders on the DHT then finds the roots it
// provides; the downloader can also ask connected peers directly.
//
// mDNS is unauthenticated: anyone on the LAN can announce any peer ID and
// address. A connection authenticates the peer ID (Noise/TLS), so a false
// announcement costs one failed dial; only addresses that led to an
// authenticated connection are kept in the peerstore for long (host.Connect
// itself remembers the addresses it tries for two minutes).
package mdns
