//go:build linux

package session

import (
	"encoding/binary"
	"net"
	"net/netip"
	"strconv"
	"unsafe"

	"golang.org/x/sys/unix"
)

// mmsghdr is struct mmsghdr: a msghdr and the byte count the kernel
// fills in, padded to the pointer size.
type mmsghdr struct {
	hdr unix.Msghdr
	n   uint32
	_   [unsafe.Sizeof(uintptr(0)) - 4]byte
}

// sendmmsg and recvmmsg return the number of messages done, or an errno;
// EAGAIN means wait for the poller. They pass MSG_DONTWAIT, so they never
// block even if the socket was made blocking (as *os.File.Fd does). They
// are raw system calls (the runtime is not told; a raw call that blocked
// would stall garbage collection and the whole process), and the
// runtime's bookkeeping around a system call made its monitor thread take
// the processor away from every call that ran over 20 µs, so that threads
// were parked and woken by the thousand each second. Raw calls cut the CPU
// of a 100 Mbit/s transfer in the WAN lab by a quarter (sender) and a
// third (receiver).
func sendmmsg(fd uintptr, hs []mmsghdr) (int, unix.Errno) {
	n, _, e := unix.RawSyscall6(unix.SYS_SENDMMSG, fd, uintptr(unsafe.Pointer(&hs[0])), uintptr(len(hs)), unix.MSG_DONTWAIT, 0, 0)
	return int(n), e
}

func recvmmsg(fd uintptr, hs []mmsghdr) (int, unix.Errno) {
	n, _, e := unix.RawSyscall6(unix.SYS_RECVMMSG, fd, uintptr(unsafe.Pointer(&hs[0])), uintptr(len(hs)), unix.MSG_DONTWAIT, 0, 0)
	return int(n), e
}

// Control message space for one int (UDP_GRO) or uint16 (UDP_SEGMENT).
var (
	cmsgHdrLen = unix.CmsgLen(0)
	oobSize    = unix.CmsgSpace(4)
)

// putSegmentCmsg writes a UDP_SEGMENT control message (GSO segment size)
// into oob, which holds at least unix.CmsgSpace(2) bytes, and returns its
// length.
func putSegmentCmsg(oob []byte, size int) int {
	h := (*unix.Cmsghdr)(unsafe.Pointer(&oob[0]))
	h.Level, h.Type = unix.SOL_UDP, unix.UDP_SEGMENT
	h.SetLen(unix.CmsgLen(2))
	*(*uint16)(unsafe.Pointer(&oob[cmsgHdrLen])) = uint16(size)
	return unix.CmsgSpace(2)
}

// groSegment returns the segment size of a UDP_GRO control message in
// oob, or 0 if there is none.
func groSegment(oob []byte) int {
	for len(oob) >= cmsgHdrLen {
		h := (*unix.Cmsghdr)(unsafe.Pointer(&oob[0]))
		l := int(h.Len)
		if l < cmsgHdrLen || l > len(oob) {
			return 0
		}
		if h.Level == unix.SOL_UDP && h.Type == unix.UDP_GRO && l >= cmsgHdrLen+4 {
			return int(*(*int32)(unsafe.Pointer(&oob[cmsgHdrLen])))
		}
		oob = oob[min(len(oob), unix.CmsgSpace(l-cmsgHdrLen)):]
	}
	return 0
}

// sockaddr is a raw socket address for a destination.
type sockaddr struct {
	raw unix.RawSockaddrAny
	len uint32
}

// encodeSockaddr fills sa with addr as the socket of family af (AF_INET or
// AF_INET6) needs it: IPv4 destinations become IPv4-mapped on an IPv6
// socket. It reports false for an address the socket cannot reach.
func encodeSockaddr(sa *sockaddr, af int, addr net.Addr) bool {
	u, ok := addr.(*net.UDPAddr)
	if !ok || u.Port < 0 || u.Port > 0xffff {
		return false
	}
	ip, ok := netip.AddrFromSlice(u.IP)
	if !ok {
		return false
	}
	if af == unix.AF_INET {
		if ip = ip.Unmap(); !ip.Is4() {
			return false
		}
		s := (*unix.RawSockaddrInet4)(unsafe.Pointer(&sa.raw))
		*s = unix.RawSockaddrInet4{Family: unix.AF_INET, Addr: ip.As4()}
		binary.BigEndian.PutUint16((*[2]byte)(unsafe.Pointer(&s.Port))[:], uint16(u.Port))
		sa.len = unix.SizeofSockaddrInet4
		return true
	}
	s := (*unix.RawSockaddrInet6)(unsafe.Pointer(&sa.raw))
	*s = unix.RawSockaddrInet6{Family: unix.AF_INET6, Addr: ip.As16(), Scope_id: zoneIndex(u.Zone)}
	binary.BigEndian.PutUint16((*[2]byte)(unsafe.Pointer(&s.Port))[:], uint16(u.Port))
	sa.len = unix.SizeofSockaddrInet6
	return true
}

func zoneIndex(zone string) uint32 {
	if zone == "" {
		return 0
	}
	if ifi, err := net.InterfaceByName(zone); err == nil {
		return uint32(ifi.Index)
	}
	n, _ := strconv.ParseUint(zone, 10, 32)
	return uint32(n)
}

// rawKey identifies a received source address without allocating.
type rawKey struct {
	ap    netip.AddrPort
	scope uint32
}

// decodeSockaddr reads a received source address. IPv4 addresses on an
// IPv4 socket come as 4-byte IPs and on an IPv6 one as 16-byte mapped IPs,
// as net.UDPConn.ReadFrom returns them.
func decodeSockaddr(raw *unix.RawSockaddrAny) (rawKey, bool) {
	switch raw.Addr.Family {
	case unix.AF_INET:
		s := (*unix.RawSockaddrInet4)(unsafe.Pointer(raw))
		port := binary.BigEndian.Uint16((*[2]byte)(unsafe.Pointer(&s.Port))[:])
		return rawKey{ap: netip.AddrPortFrom(netip.AddrFrom4(s.Addr), port)}, true
	case unix.AF_INET6:
		s := (*unix.RawSockaddrInet6)(unsafe.Pointer(raw))
		port := binary.BigEndian.Uint16((*[2]byte)(unsafe.Pointer(&s.Port))[:])
		return rawKey{ap: netip.AddrPortFrom(netip.AddrFrom16(s.Addr), port), scope: s.Scope_id}, true
	}
	return rawKey{}, false
}

// udpAddr converts a key to the *net.UDPAddr ReadFrom would return.
func (k rawKey) udpAddr() *net.UDPAddr {
	a := k.ap.Addr()
	u := &net.UDPAddr{IP: a.AsSlice(), Port: int(k.ap.Port())}
	if k.scope != 0 {
		if ifi, err := net.InterfaceByIndex(int(k.scope)); err == nil {
			u.Zone = ifi.Name
		} else {
			u.Zone = strconv.FormatUint(uint64(k.scope), 10)
		}
	}
	return u
}
