//go:build linux

package session

import (
	"net"
	"syscall"
)

// setSocketBuffers asks for size-byte kernel buffers on a UDP socket:
// SO_RCVBUFFORCE/SO_SNDBUFFORCE (which pass net.core.rmem_max but need
// CAP_NET_ADMIN), else SO_RCVBUF/SO_SNDBUF. Other PacketConns are left
// alone. It returns the receive buffer the kernel granted, 0 if unknown.
func setSocketBuffers(pc net.PacketConn, size int) int {
	sc, ok := pc.(syscall.Conn)
	if !ok || size <= 0 {
		return 0
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return 0
	}
	granted := 0
	_ = raw.Control(func(fd uintptr) {
		f := int(fd)
		if syscall.SetsockoptInt(f, syscall.SOL_SOCKET, syscall.SO_RCVBUFFORCE, size) != nil {
			_ = syscall.SetsockoptInt(f, syscall.SOL_SOCKET, syscall.SO_RCVBUF, size)
		}
		if syscall.SetsockoptInt(f, syscall.SOL_SOCKET, syscall.SO_SNDBUFFORCE, size) != nil {
			_ = syscall.SetsockoptInt(f, syscall.SOL_SOCKET, syscall.SO_SNDBUF, size)
		}
		granted, _ = syscall.GetsockoptInt(f, syscall.SOL_SOCKET, syscall.SO_RCVBUF)
	})
	return granted
}
