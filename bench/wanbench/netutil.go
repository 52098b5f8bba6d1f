package main

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"sync"
	"time"

	"github.com/swarm-project/swarm/bench/lab"
)

// waitListen waits until a TCP socket listens on port in node n, without
// connecting to it (iperf3 -s -1 would take a probe connection for its
// one test).
func waitListen(ctx context.Context, l *lab.Lab, n lab.Node, port string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		out, err := l.Command(ctx, n, "ss", "-Hltn", "sport = :"+port).Output()
		if err == nil && len(bytes.TrimSpace(out)) > 0 {
			return nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return errors.Join(errors.New("nothing listens on port "+port), err, ctx.Err())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitTimeout waits for a started command, killing it after d.
func waitTimeout(c *exec.Cmd, d time.Duration) error {
	done := make(chan error, 1)
	go func() { done <- c.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		c.Process.Kill()
		return <-done
	}
}

// limitedBuffer is a concurrency-safe buffer that keeps at most max bytes.
type limitedBuffer struct {
	mu  sync.Mutex
	b   bytes.Buffer
	max int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if room := l.max - l.b.Len(); room > 0 {
		l.b.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func (l *limitedBuffer) Bytes() []byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	return bytes.Clone(l.b.Bytes())
}
