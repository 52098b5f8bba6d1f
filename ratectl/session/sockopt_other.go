//go:build !linux

package session

import "net"

// setSocketBuffers is a no-op where the forcing options do not exist.
func setSocketBuffers(pc net.PacketConn, size int) int { return 0 }

// setDontFragment is a no-op here: datagrams may be fragmented on the
// way, and path MTU probes then pass at any size (see pathMTU).
func setDontFragment(pc net.PacketConn) bool { return false }

// routeMTU is unknown here: the default largest datagram applies.
func routeMTU(raddr net.Addr) int { return 0 }
