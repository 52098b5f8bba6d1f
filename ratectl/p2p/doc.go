// Package p2p exposes Swarm's rate-controlled UDP sessions (ratectl/session)
// as a libp2p transport. Addresses look like /ip4/IP/udp/PORT/swarmrc; a
// connection is a reliable, paced byte stream that the libp2p Upgrader
// secures (Noise or TLS) and multiplexes (yamux) like a TCP connection.
// This is the only ratectl package that imports libp2p.
package p2p
