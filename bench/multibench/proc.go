package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// logTail is a concurrency-safe writer that keeps the first max bytes a
// process writes and watches for a line starting with prefix: ready is
// closed when one arrives, and Line returns it.
type logTail struct {
	mu      sync.Mutex
	b       bytes.Buffer
	max     int
	prefix  string
	partial []byte // an unfinished line, while prefix is awaited
	line    string
	ready   chan struct{}
}

func newLogTail(max int, prefix string) *logTail {
	return &logTail{max: max, prefix: prefix, ready: make(chan struct{})}
}

func (l *logTail) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if room := l.max - l.b.Len(); room > 0 {
		l.b.Write(p[:min(len(p), room)])
	}
	if l.prefix == "" || l.line != "" {
		return len(p), nil
	}
	l.partial = append(l.partial, p...)
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			break
		}
		line := strings.TrimSpace(string(l.partial[:i]))
		l.partial = l.partial[i+1:]
		if strings.HasPrefix(line, l.prefix) {
			l.line, l.partial = line, nil
			close(l.ready)
			break
		}
	}
	if len(l.partial) > 64<<10 {
		l.partial = nil
	}
	return len(p), nil
}

// Line is the awaited line, once ready is closed.
func (l *logTail) Line() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.line
}

// Last returns the last non-empty line written (for error messages).
func (l *logTail) Last() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return lastLine(l.b.Bytes())
}

func lastLine(b []byte) string {
	s := strings.TrimSpace(string(b))
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	return s
}

// proc is a long-running process this harness started (a daemon, nginx,
// the liar). One goroutine waits for it; stop and kill return once it is
// reaped.
type proc struct {
	cmd  *exec.Cmd
	logs *logTail
	done chan struct{}
	err  error // Wait's result, once done is closed
}

// startProc starts c with stdout and stderr going to logs.
func startProc(c *exec.Cmd, logs *logTail) (*proc, error) {
	c.Stdout, c.Stderr = logs, logs
	if err := c.Start(); err != nil {
		return nil, err
	}
	p := &proc{cmd: c, logs: logs, done: make(chan struct{})}
	go func() { p.err = c.Wait(); close(p.done) }()
	return p, nil
}

// Pid is the process ID (through `ip netns exec`, which execs in place,
// the program's own).
func (p *proc) Pid() int { return p.cmd.Process.Pid }

// waitReady waits for the awaited line, the process's end or the timeout.
func (p *proc) waitReady(timeout time.Duration) error {
	select {
	case <-p.logs.ready:
		return nil
	case <-p.done:
		return fmt.Errorf("exited (%v): %s", p.err, p.logs.Last())
	case <-time.After(timeout):
		return fmt.Errorf("not ready after %v: %s", timeout, p.logs.Last())
	}
}

// stop asks the process to end (SIGTERM), kills it after 5 s, and waits.
func (p *proc) stop() {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
		p.kill()
	}
}

// kill sends SIGKILL to this process (os.Process.Kill: by PID, through a
// pidfd so a reused PID is never hit) and waits for it.
func (p *proc) kill() {
	_ = p.cmd.Process.Kill()
	<-p.done
}

// interruptible makes a command stop with SIGINT when its context ends,
// so it can report what it has, and be killed 5 s later.
func interruptible(c *exec.Cmd) *exec.Cmd {
	c.Cancel = func() error { return c.Process.Signal(os.Interrupt) }
	c.WaitDelay = 5 * time.Second
	return c
}

// writtenBytes is the data in a possibly sparse file: its allocated
// blocks, at most its size.
func writtenBytes(path string) int64 {
	var st syscall.Stat_t
	if err := syscall.Stat(path, &st); err != nil {
		return 0
	}
	return min(st.Size, st.Blocks*512)
}

// peakRSS is the peak resident set of an exited command (getrusage's
// ru_maxrss, what /usr/bin/time -v reports), in bytes.
func peakRSS(c *exec.Cmd) int64 {
	if c.ProcessState == nil {
		return 0
	}
	if ru, ok := c.ProcessState.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss * 1024
	}
	return 0
}

// cpuSeconds is the user+system CPU time of an exited command.
func cpuSeconds(c *exec.Cmd) float64 {
	if c.ProcessState == nil {
		return 0
	}
	return (c.ProcessState.UserTime() + c.ProcessState.SystemTime()).Seconds()
}

// procPeakRSS is the peak resident set of a running process (VmHWM in
// /proc/PID/status), in bytes; 0 if it cannot be read.
func procPeakRSS(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb * 1024
		}
	}
	return 0
}
