package session

import "net"

// writeBatch sends datagrams to addr. This portable version makes one
// WriteTo call per datagram; errors are dropped (the protocol recovers
// from loss).
func (e *Endpoint) writeBatch(pkts [][]byte, addr net.Addr) {
	for _, p := range pkts {
		_, _ = e.pc.WriteTo(p, addr)
	}
}
