// Package session is Swarm's reliable, paced byte stream over UDP: one
// ordered stream per connection, many connections on one net.PacketConn.
//
// An Endpoint owns a net.PacketConn. One goroutine reads datagrams and hands
// each to its connection by destination connection ID, answering handshake
// attempts statelessly with a cookie (Retry) until the client proves it
// can receive at its address. Each Conn has one goroutine that owns its
// state: it paces data with a ratectl.Controller and ratectl.Pacer, numbers
// every packet anew (retransmissions carry the old stream offset under a
// new packet number), acknowledges with selective ranges, retransmits only
// what was lost, probes for tail loss, grants receive credit sized to the
// bandwidth-delay product, keeps the path alive and closes cleanly. Conn
// implements net.Conn.
//
// On Linux UDP sockets datagrams move in batches (sendmmsg, recvmmsg) with
// UDP GSO and GRO where the kernel has them; Data payloads go to the
// kernel straight from the send buffer and stay in the receive buffer they
// arrived in until read. Any other PacketConn gets one WriteTo or ReadFrom
// per datagram.
//
// The packet format is in package ratectl/wire and docs/spec/ratectl-wire.md;
// the design is in docs/ratectl.md.
package session
