package lab

import (
	"os"
	"syscall"
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

// wakeTimer is a timerfd: it wakes a goroutine at an absolute monotonic
// time with the kernel's high-resolution timers, unlike Go timers whose
// idle wake-ups here come about a millisecond late.
type wakeTimer struct {
	f  *os.File
	rc syscall.RawConn
	fd int
}

func newWakeTimer() (*wakeTimer, error) {
	fd, err := unix.TimerfdCreate(unix.CLOCK_MONOTONIC, unix.TFD_NONBLOCK|unix.TFD_CLOEXEC)
	if err != nil {
		return nil, os.NewSyscallError("timerfd_create", err)
	}
	f := os.NewFile(uintptr(fd), "timerfd")
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, err
	}
	return &wakeTimer{f: f, rc: rc, fd: fd}, nil
}

// armAt sets the timer to fire at t (never disarms it). A time in the past
// fires at once.
func (w *wakeTimer) armAt(t time.Duration) error {
	var spec unix.ItimerSpec
	if t != never {
		spec.Value = unix.NsecToTimespec(max(int64(t), 1))
	}
	return unix.TimerfdSettime(w.fd, unix.TFD_TIMER_ABSTIME, &spec, nil)
}

// wait blocks until the timer fires or the timer is closed.
func (w *wakeTimer) wait() error {
	var b [8]byte
	return w.rc.Read(func(fd uintptr) bool {
		_, err := unix.Read(int(fd), b[:])
		return err != unix.EAGAIN
	})
}

func (w *wakeTimer) close() error { return w.f.Close() }
