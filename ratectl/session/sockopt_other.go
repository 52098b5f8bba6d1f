//go:build !linux

package session

import "net"

// setSocketBuffers is a no-op where the forcing options do not exist.
func setSocketBuffers(pc net.PacketConn, size int) int { return 0 }
