package lab

import (
	"fmt"
	"os"
	"runtime"

	"golang.org/x/sys/unix"
)

// Do runs fn on an OS thread that has entered node n's network namespace.
// Sockets fn creates belong to that namespace and keep working from any
// goroutine afterwards, so tests and benchmarks can talk across the lab
// from this process:
//
//	var c net.PacketConn
//	err := l.Do(l.Seeders[0], func() (err error) { c, err = net.ListenPacket("udp4", ":9000"); return })
//
// fn must not start goroutines that expect to be in the namespace.
func (l *Lab) Do(n Node, fn func() error) error {
	target, err := os.Open("/run/netns/" + n.Netns)
	if err != nil {
		return fmt.Errorf("open netns %s: %w", n.Netns, err)
	}
	defer target.Close()
	errc := make(chan error, 1)
	go func() {
		// The thread is never unlocked: if returning to the original
		// namespace failed it must die with the goroutine.
		runtime.LockOSThread()
		orig, err := os.Open("/proc/thread-self/ns/net")
		if err != nil {
			errc <- err
			return
		}
		defer orig.Close()
		if err := unix.Setns(int(target.Fd()), unix.CLONE_NEWNET); err != nil {
			errc <- fmt.Errorf("setns %s: %w", n.Netns, err)
			return
		}
		ferr := fn()
		if err := unix.Setns(int(orig.Fd()), unix.CLONE_NEWNET); err != nil {
			errc <- fmt.Errorf("setns back: %w", err)
			return
		}
		runtime.UnlockOSThread()
		errc <- ferr
	}()
	return <-errc
}
