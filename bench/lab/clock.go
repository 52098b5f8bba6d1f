package lab

import (
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// never is a due time that does not come.
const never = time.Duration(1<<63 - 1)

// clock reads CLOCK_MONOTONIC as a Duration, the time base of the link
// models and of the wake timers. It uses Go's monotonic clock (the same
// kernel clock) after one system call to find the offset.
type clock struct {
	base  time.Duration
	start time.Time
}

func newClock() (clock, error) {
	var ts unix.Timespec
	start := time.Now()
	if err := unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts); err != nil {
		return clock{}, err
	}
	return clock{base: time.Duration(ts.Nano()), start: start}, nil
}

func (c clock) now() time.Duration { return c.base + time.Since(c.start) }

// wakeTimer is a timerfd: it wakes a thread at an absolute monotonic time
// with the kernel's high-resolution timers (Go timers come about a
// millisecond late when the process is idle).
type wakeTimer struct {
	fd   int
	stop *stopper
	ps   pollSet
	buf  [8]byte
}

func newWakeTimer(stop *stopper) (*wakeTimer, error) {
	fd, err := unix.TimerfdCreate(unix.CLOCK_MONOTONIC, unix.TFD_NONBLOCK|unix.TFD_CLOEXEC)
	if err != nil {
		return nil, os.NewSyscallError("timerfd_create", err)
	}
	return &wakeTimer{fd: fd, stop: stop}, nil
}

// armAt sets the timer to fire once at t (never disarms it). A time in the
// past fires at once.
func (w *wakeTimer) armAt(t time.Duration) error {
	var spec unix.ItimerSpec
	if t != never {
		spec.Value = unix.NsecToTimespec(max(int64(t), 1))
	}
	return unix.TimerfdSettime(w.fd, unix.TFD_TIMER_ABSTIME, &spec, nil)
}

// tickEvery makes the timer fire every period, starting one period from
// now, until it is armed again.
func (w *wakeTimer) tickEvery(period time.Duration) error {
	ns := unix.NsecToTimespec(int64(period))
	spec := unix.ItimerSpec{Value: ns, Interval: ns}
	return unix.TimerfdSettime(w.fd, 0, &spec, nil)
}

// wait blocks until the timer fires or the lab stops.
func (w *wakeTimer) wait() error {
	for {
		_, err := unix.Read(w.fd, w.buf[:])
		if err != unix.EAGAIN {
			return nil
		}
		if err := w.stop.waitFor(&w.ps, w.fd, unix.POLLIN); err != nil {
			return err
		}
	}
}

func (w *wakeTimer) close() error { return unix.Close(w.fd) }
