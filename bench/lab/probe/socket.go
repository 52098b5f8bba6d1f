package probe

import (
	"errors"
	"fmt"
	"net/netip"
	"runtime"
	"time"

	"github.com/swarm-project/swarm/bench/lab"
	"golang.org/x/sys/unix"
)

// IPUDPHeader is the IPv4 and UDP header size added to each payload.
const IPUDPHeader = 28

// ErrTimeout is returned when an expected datagram does not come.
var ErrTimeout = errors.New("probe: timed out")

// Socket is a blocking UDP socket bound in a lab namespace.
type Socket struct {
	fd   int
	Addr netip.AddrPort
	// peer caches the last destination to save an allocation per send;
	// a socket sends from one goroutine at a time.
	peer     *unix.SockaddrInet4
	peerAddr netip.AddrPort
}

// Open binds a UDP socket to node n's address and port (0: any free port)
// inside its namespace, with 16 MiB buffers.
func Open(l *lab.Lab, n lab.Node, port int) (*Socket, error) {
	var s *Socket
	err := l.Do(n, func() error {
		fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			return err
		}
		for _, o := range []int{unix.SO_RCVBUFFORCE, unix.SO_SNDBUFFORCE} {
			_ = unix.SetsockoptInt(fd, unix.SOL_SOCKET, o, 16<<20)
		}
		if err := unix.Bind(fd, &unix.SockaddrInet4{Addr: n.Addr.As4(), Port: port}); err != nil {
			unix.Close(fd)
			return fmt.Errorf("bind %s:%d: %w", n.Addr, port, err)
		}
		sa, err := unix.Getsockname(fd)
		if err != nil {
			unix.Close(fd)
			return err
		}
		s = &Socket{fd: fd, Addr: netip.AddrPortFrom(n.Addr, uint16(sa.(*unix.SockaddrInet4).Port))}
		return nil
	})
	return s, err
}

// Close closes the socket; a blocked receive returns.
func (s *Socket) Close() error {
	unix.Shutdown(s.fd, unix.SHUT_RDWR)
	return unix.Close(s.fd)
}

func (s *Socket) setTimeout(d time.Duration) error {
	tv := unix.NsecToTimeval(int64(d))
	return unix.SetsockoptTimeval(s.fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv)
}

func (s *Socket) sendTo(b []byte, to netip.AddrPort) error {
	if s.peer == nil || s.peerAddr != to {
		s.peer, s.peerAddr = &unix.SockaddrInet4{Addr: to.Addr().As4(), Port: int(to.Port())}, to
	}
	return unix.Sendto(s.fd, b, 0, s.peer)
}

// recv reads one datagram; ErrTimeout after the socket's timeout.
func (s *Socket) recv(b []byte) (int, unix.Sockaddr, error) {
	for {
		n, from, err := unix.Recvfrom(s.fd, b, 0)
		switch {
		case err == unix.EINTR:
			continue
		case err == unix.EAGAIN:
			return 0, nil, ErrTimeout
		case err == nil && n == 0 && from == nil:
			return 0, nil, unix.EBADF // shut down
		}
		return n, from, err
	}
}

// realtime locks the goroutine to a thread with real-time priority if it
// can; the thread is not unlocked and ends with the goroutine.
func realtime() {
	runtime.LockOSThread()
	attr := unix.SchedAttr{Policy: unix.SCHED_FIFO, Priority: 5}
	_ = unix.SchedSetAttr(0, &attr, 0)
}

func now() time.Duration {
	var ts unix.Timespec
	_ = unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts)
	return time.Duration(ts.Nano())
}
