// Package wire encodes and parses the datagrams of Swarm's rate-controlled
// UDP transport (docs/spec/ratectl-wire.md).
//
// Every datagram carries exactly one packet. Byte 0 holds a fixed marker in
// its high nibble and the packet type in its low nibble; the destination
// connection ID follows. Parsers never allocate for Data packets (the
// payload aliases the input), check every length against a hard cap, and
// reject truncated input, trailing bytes and reserved bits, so that a
// datagram parses only if it is exactly one well-formed packet.
//
// The package does no I/O and imports only the standard library.
package wire
