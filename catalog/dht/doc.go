// Package dht announces and finds Swarm roots on a private Kademlia DHT
// (go-libp2p-kad-dht under the protocol prefix "/swarm", so it never joins
// the public IPFS DHT and never dials public bootstrap peers).
//
// One provider record is announced per root (the manifest's CID), never per
// chunk: a peer that holds a root serves its manifest blocks and chunks. The
// DHT keeps the set of roots it provides and announces them again every
// ReprovideInterval (12 h by default); a root that could not be announced,
// for example because the node has no DHT peers yet, is retried in the
// background until it lands.
//
// DHT implements catalog.Discovery. See docs/discovery.md.
package dht
