//go:build linux

package session

import (
	"net"
	"syscall"

	"golang.org/x/sys/unix"
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

// setDontFragment sets the don't-fragment bit on a UDP socket's datagrams
// and has the kernel send them whatever path MTU it learned from ICMP
// (IP_PMTUDISC_PROBE): the path MTU search (pathMTU) then sees a datagram
// too large for the path lost, not fragmented, and a size the kernel's
// cache wrongly holds too large for the path never fails the send (with
// IP_PMTUDISC_DO a GSO message over it would, and turn GSO off). It
// reports whether an option took.
func setDontFragment(pc net.PacketConn) bool {
	sc, ok := pc.(syscall.Conn)
	if !ok {
		return false
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return false
	}
	set := false
	_ = raw.Control(func(fd uintptr) {
		f := int(fd)
		e4 := unix.SetsockoptInt(f, unix.IPPROTO_IP, unix.IP_MTU_DISCOVER, unix.IP_PMTUDISC_PROBE)
		e6 := unix.SetsockoptInt(f, unix.IPPROTO_IPV6, unix.IPV6_MTU_DISCOVER, unix.IPV6_PMTUDISC_PROBE)
		set = e4 == nil || e6 == nil
	})
	return set
}

// routeMTU returns the MTU of the route to raddr as the kernel knows it
// (the device's, or a smaller one learned from ICMP), or 0: a connected
// UDP socket is opened for the lookup, which sends nothing.
func routeMTU(raddr net.Addr) int {
	u, ok := raddr.(*net.UDPAddr)
	if !ok {
		return 0
	}
	c, err := net.DialUDP("udp", nil, u)
	if err != nil {
		return 0
	}
	defer c.Close()
	raw, err := c.SyscallConn()
	if err != nil {
		return 0
	}
	mtu := 0
	_ = raw.Control(func(fd uintptr) {
		if u.IP.To4() != nil {
			mtu, err = unix.GetsockoptInt(int(fd), unix.IPPROTO_IP, unix.IP_MTU)
		} else {
			mtu, err = unix.GetsockoptInt(int(fd), unix.IPPROTO_IPV6, unix.IPV6_MTU)
		}
	})
	if err != nil {
		return 0
	}
	return mtu
}
