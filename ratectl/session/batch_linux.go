//go:build linux

package session

import (
	"net"
	"sync/atomic"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Batch limits.
const (
	rxBatchSmall = 64 // messages per recvmmsg without GRO
	rxBatchGRO   = 16 // messages per recvmmsg with GRO (64 KiB each)
	maxGSOSegs   = 64 // UDP_MAX_SEGMENTS of older kernels
	maxGSOBytes  = 65000
)

// linuxIO moves datagrams with sendmmsg and recvmmsg on a UDP socket, with
// UDP GSO (one message carries up to 64 equal datagrams the kernel cuts
// apart) and GRO (the kernel hands over runs of datagrams at once) when
// the kernel supports them.
type linuxIO struct {
	pc  *net.UDPConn
	rc  syscall.RawConn
	af  int
	gso atomic.Bool // cleared if a send shows the device cannot do it
	gro bool

	// counters for tests and logs
	gsoSends, mmsgSends, groReads atomic.Int64
	// sendmmsg is the system call; tests replace it before any send.
	sendmmsg func(fd uintptr, hs []mmsghdr) (int, unix.Errno)

	r mmsgReader // owned by the read loop
}

// newDatagramIO picks the I/O path for pc.
func newDatagramIO(pc net.PacketConn, cfg *Config) datagramIO {
	u, ok := pc.(*net.UDPConn)
	if !ok || cfg.DisableBatchIO {
		return portableIO{pc}
	}
	rc, err := u.SyscallConn()
	if err != nil {
		return portableIO{pc}
	}
	l := &linuxIO{pc: u, rc: rc, sendmmsg: sendmmsg}
	var serr error
	err = rc.Control(func(fd uintptr) {
		l.af, serr = unix.GetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_DOMAIN)
		if cfg.DisableOffload {
			return
		}
		if _, err := unix.GetsockoptInt(int(fd), unix.IPPROTO_UDP, unix.UDP_SEGMENT); err == nil {
			l.gso.Store(true)
		}
		l.gro = unix.SetsockoptInt(int(fd), unix.IPPROTO_UDP, unix.UDP_GRO, 1) == nil
	})
	if err != nil || serr != nil || l.af != unix.AF_INET && l.af != unix.AF_INET6 {
		return portableIO{pc}
	}
	l.r.init(l)
	return l
}

func (l *linuxIO) mode() string {
	m := "mmsg"
	if l.gso.Load() {
		m += "+gso"
	}
	if l.gro {
		m += "+gro"
	}
	return m
}

func (l *linuxIO) rxShape() (int, int) {
	if l.gro {
		return rxBatchGRO, groRxBuf
	}
	return rxBatchSmall, smallRxBuf
}

func (l *linuxIO) readBatch(msgs []rxMsg) (int, error) { return l.r.read(msgs) }

func (l *linuxIO) newWriter() datagramWriter { return newMmsgWriter(l) }

// mmsgReader is the read loop's recvmmsg state.
type mmsgReader struct {
	l     *linuxIO
	hdrs  []mmsghdr
	iovs  []unix.Iovec
	names []unix.RawSockaddrAny
	oob   []byte
	addrs map[rawKey]*net.UDPAddr
	fn    func(fd uintptr) bool
	want  int // messages to read: the headers filled in
	n     int
	errno unix.Errno
}

func (r *mmsgReader) init(l *linuxIO) {
	count, _ := l.rxShape()
	r.l = l
	r.hdrs = make([]mmsghdr, count)
	r.iovs = make([]unix.Iovec, count)
	r.names = make([]unix.RawSockaddrAny, count)
	r.oob = make([]byte, count*oobSize)
	r.addrs = map[rawKey]*net.UDPAddr{}
	r.fn = r.recv
}

// recv is the RawConn.Read callback: false asks to wait for readability.
func (r *mmsgReader) recv(fd uintptr) bool {
	for {
		r.n, r.errno = recvmmsg(fd, r.hdrs[:r.want])
		if r.errno != unix.EINTR {
			return r.errno != unix.EAGAIN
		}
	}
}

func (r *mmsgReader) read(msgs []rxMsg) (int, error) {
	msgs = msgs[:min(len(msgs), len(r.hdrs))]
	for i := range msgs {
		r.iovs[i].Base = &msgs[i].buf.b[0]
		r.iovs[i].SetLen(len(msgs[i].buf.b))
		h := &r.hdrs[i].hdr
		h.Name = (*byte)(unsafe.Pointer(&r.names[i]))
		h.Namelen = unix.SizeofSockaddrAny
		h.Iov = &r.iovs[i]
		h.SetIovlen(1)
		h.Control = &r.oob[i*oobSize]
		h.SetControllen(oobSize)
		h.Flags = 0
	}
	r.want, r.n, r.errno = len(msgs), 0, 0
	if err := r.l.rc.Read(r.fn); err != nil {
		return 0, err
	}
	switch r.errno {
	case 0:
	case unix.ECONNREFUSED, unix.EHOSTUNREACH, unix.ENETUNREACH, unix.ENOMEM, unix.ENOBUFS:
		return 0, nil // an ICMP error or memory pressure: the socket is fine
	default:
		return 0, &net.OpError{Op: "recvmmsg", Net: "udp", Err: r.errno}
	}
	for i := range r.n {
		r.fill(&msgs[i], i)
	}
	return r.n, nil
}

// fill describes received message i in m; a message that cannot be used
// gets n = 0.
func (r *mmsgReader) fill(m *rxMsg, i int) {
	h := &r.hdrs[i]
	m.n, m.seg, m.addr = int(h.n), int(h.n), nil
	if h.hdr.Flags&unix.MSG_TRUNC != 0 {
		m.n = 0
		return
	}
	if r.l.gro {
		if seg := groSegment(r.oob[i*oobSize : i*oobSize+int(h.hdr.Controllen)]); seg > 0 {
			m.seg = seg
			r.l.groReads.Add(1)
		}
	}
	k, ok := decodeSockaddr(&r.names[i])
	if !ok {
		m.n = 0
		return
	}
	a := r.addrs[k]
	if a == nil {
		if len(r.addrs) >= 4096 {
			clear(r.addrs)
		}
		a = k.udpAddr()
		r.addrs[k] = a
	}
	m.addr = a
}
