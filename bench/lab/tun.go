package lab

import (
	"errors"
	"fmt"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// bufSize holds one packet of the lab's MTU with room to spare.
const (
	mtu     = 1500
	bufSize = 2048
)

// tunDevice is a TUN interface without packet information headers: each
// read returns one IPv4 or IPv6 packet and each write injects one.
type tunDevice struct {
	name string
	f    *os.File
	rc   syscall.RawConn
}

// openTUN creates a TUN interface in the current network namespace. It
// disappears when the file is closed.
func openTUN(name string) (*tunDevice, error) {
	fd, err := unix.Open("/dev/net/tun", unix.O_RDWR|unix.O_CLOEXEC, 0)
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
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return nil, err
	}
	f := os.NewFile(uintptr(fd), name)
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, err
	}
	return &tunDevice{name: name, f: f, rc: rc}, nil
}

// readBatch waits for at least one packet, then reads as many as are ready
// without waiting, up to len(bufs). lens receives their sizes.
func (t *tunDevice) readBatch(bufs []*[bufSize]byte, lens []int) (int, error) {
	n := 0
	var rerr error
	err := t.rc.Read(func(fd uintptr) bool {
		for n < len(bufs) {
			k, err := unix.Read(int(fd), bufs[n][:])
			switch {
			case err == unix.EAGAIN:
				return n > 0
			case err == unix.EINTR:
				continue
			case err != nil:
				rerr = err
				return true
			}
			lens[n] = k
			n++
		}
		return true
	})
	if n > 0 {
		return n, nil
	}
	return 0, errors.Join(err, rerr)
}

// writeBatch writes each packet; it returns how many the kernel refused.
func (t *tunDevice) writeBatch(pkts [][]byte) (int, error) {
	i, refused := 0, 0
	err := t.rc.Write(func(fd uintptr) bool {
		for i < len(pkts) {
			_, err := unix.Write(int(fd), pkts[i])
			switch {
			case err == unix.EAGAIN:
				return false
			case err == unix.EINTR:
				continue
			case err != nil:
				refused++
			}
			i++
		}
		return true
	})
	return refused, err
}

func (t *tunDevice) close() error { return t.f.Close() }
