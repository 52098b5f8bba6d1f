package lab

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// bufSize holds one packet of the lab's MTU with room to spare.
const (
	mtu     = 1500
	bufSize = 2048
)

// tunDevice is a TUN interface without packet information headers: each
// read returns one IPv4 or IPv6 packet and each write injects one. Its file
// descriptor is non-blocking; waits go through the lab's stopper.
type tunDevice struct {
	name   string
	fd     int
	stop   *stopper
	readPS pollSet // used by the device's only reader
}

// openTUN creates a TUN interface in the current network namespace. It
// disappears when the descriptor is closed.
func openTUN(name string, stop *stopper) (*tunDevice, error) {
	fd, err := unix.Open("/dev/net/tun", unix.O_RDWR|unix.O_CLOEXEC|unix.O_NONBLOCK, 0)
	if err != nil {
		return nil, fmt.Errorf("%w: open /dev/net/tun: %v", ErrUnavailable, err)
	}
	ifr, err := unix.NewIfreq(name)
	if err != nil {
		unix.Close(fd)
		return nil, err
	}
	ifr.SetUint16(unix.IFF_TUN | unix.IFF_NO_PI)
	if err := unix.IoctlIfreq(fd, unix.TUNSETIFF, ifr); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("TUNSETIFF %s: %w", name, err)
	}
	return &tunDevice{name: name, fd: fd, stop: stop}, nil
}

// readBatch waits for at least one packet, then reads as many as are ready
// without waiting, up to len(bufs). lens receives their sizes.
func (t *tunDevice) readBatch(bufs []*[bufSize]byte, lens []int) (int, error) {
	n := 0
	for n < len(bufs) {
		k, err := unix.Read(t.fd, bufs[n][:])
		switch {
		case err == unix.EINTR:
			continue
		case err == unix.EAGAIN && n > 0:
			return n, nil
		case err == unix.EAGAIN:
			if err := t.stop.waitFor(&t.readPS, t.fd, unix.POLLIN); err != nil {
				return 0, err
			}
			continue
		case err != nil:
			return n, fmt.Errorf("read %s: %w", t.name, err)
		}
		lens[n] = k
		n++
	}
	return n, nil
}

// writeBatch writes each packet; it returns how many the kernel refused.
func (t *tunDevice) writeBatch(pkts [][]byte) (int, error) {
	refused := 0
	for i := 0; i < len(pkts); {
		_, err := unix.Write(t.fd, pkts[i])
		switch {
		case err == unix.EINTR:
			continue
		case err == unix.EAGAIN:
			var ps pollSet // rare: TUN writes do not block in practice
			if err := t.stop.waitFor(&ps, t.fd, unix.POLLOUT); err != nil {
				return refused, err
			}
			continue
		case err != nil:
			refused++
		}
		i++
	}
	return refused, nil
}

func (t *tunDevice) close() error { return unix.Close(t.fd) }
