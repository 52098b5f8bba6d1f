//go:build !linux

package session

import "net"

// newDatagramIO returns the portable path: batching is Linux only.
func newDatagramIO(pc net.PacketConn, cfg *Config) datagramIO { return portableIO{pc} }
