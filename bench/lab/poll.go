package lab

import (
	"errors"
	"os"
	"runtime"

	"golang.org/x/sys/unix"
)

// errStopped is returned by waits once the lab is stopping.
var errStopped = errors.New("lab stopping")

// The forwarder's goroutines run on locked OS threads and block in poll(2)
// themselves rather than in Go's network poller: the kernel then wakes the
// very thread that must act, which matters when that thread has real-time
// priority and the machine is busy.

// stopper is an eventfd that becomes readable, for good, when the lab stops.
type stopper struct{ fd int }

func newStopper() (*stopper, error) {
	fd, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
	if err != nil {
		return nil, os.NewSyscallError("eventfd", err)
	}
	return &stopper{fd: fd}, nil
}

func (s *stopper) stop() {
	var one = [8]byte{1}
	unix.Write(s.fd, one[:])
}

func (s *stopper) close() { unix.Close(s.fd) }

// pollSet is the poll(2) argument of one waiting goroutine, kept to avoid
// an allocation per wait.
type pollSet [2]unix.PollFd

// waitFor blocks until fd has any of the events or the stopper fires.
func (s *stopper) waitFor(ps *pollSet, fd int, events int16) error {
	*ps = pollSet{{Fd: int32(fd), Events: events}, {Fd: int32(s.fd), Events: unix.POLLIN}}
	pfd := ps[:]
	for {
		_, err := unix.Poll(pfd, -1)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return os.NewSyscallError("poll", err)
		}
		if pfd[1].Revents != 0 {
			return errStopped
		}
		if pfd[0].Revents != 0 {
			return nil
		}
	}
}

// rtPriority is the SCHED_FIFO priority of the forwarder's threads: above
// every normal process (the endpoints, compilers, tests), so that a busy
// machine delays the emulated link as little as possible. The kernel's
// real-time throttling still leaves 5% of each core to everyone else.
const rtPriority = 10

// lockRealtime locks the calling goroutine to its thread and, if allowed,
// gives the thread real-time priority. The thread is never unlocked, so it
// exits with the goroutine instead of carrying the priority elsewhere.
func lockRealtime(enable bool) error {
	runtime.LockOSThread()
	if !enable {
		return nil
	}
	attr := unix.SchedAttr{Policy: unix.SCHED_FIFO, Priority: rtPriority}
	return unix.SchedSetAttr(0, &attr, 0)
}
