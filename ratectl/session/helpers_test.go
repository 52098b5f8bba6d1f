package session

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/swarm-project/swarm/ratectl/simnet"
)

// quietConfig is a Config that logs only errors.
func quietConfig() Config {
	return Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

// simPair starts a listener at "server" and dials it from "client" over n.
func simPair(t *testing.T, n *simnet.Network, cfg Config) (client, server *Conn, ln *Listener) {
	t.Helper()
	ln, err := Listen(n.MustListen("server"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	accepted := acceptOne(t, ln)
	client, err = Dial(context.Background(), n.MustListen("client"), simnet.Addr("server"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return client, <-accepted, ln
}

// acceptOne accepts one connection on ln in the background.
func acceptOne(t *testing.T, ln *Listener) chan *Conn {
	accepted := make(chan *Conn, 1)
	go func() {
		c, err := ln.Accept(context.Background())
		if err != nil {
			t.Errorf("accept: %v", err)
		}
		accepted <- c
	}()
	return accepted
}

// countReplies reads pc until it closes, counting the bytes received and
// passing each datagram to check (if not nil).
func countReplies(pc net.PacketConn, check func([]byte)) *atomic.Int64 {
	var got atomic.Int64
	go func() {
		buf := make([]byte, 9000)
		for {
			k, _, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			got.Add(int64(k))
			if check != nil {
				check(buf[:k])
			}
		}
	}()
	return &got
}

// payload returns n deterministic pseudo-random bytes.
func payload(n int) []byte {
	r := rand.New(rand.NewPCG(uint64(n), 5))
	b := make([]byte, n)
	for i := 0; i < n; i += 8 {
		v := r.Uint64()
		for k := 0; k < 8 && i+k < n; k++ {
			b[i+k] = byte(v >> (8 * k))
		}
	}
	return b
}

// transfer writes data from src and closes it, reads everything at dst
// and checks it byte for byte; it returns the time the read took.
func transfer(t *testing.T, src, dst *Conn, data []byte) time.Duration {
	t.Helper()
	start := time.Now()
	werr := writeAndClose(src, data)
	got, err := io.ReadAll(dst)
	elapsed := time.Since(start)
	if err != nil {
		t.Fatalf("read: %v after %d bytes", err, len(got))
	}
	if err := <-werr; err != nil {
		t.Fatalf("write: %v", err)
	}
	if !bytes.Equal(got, data) {
		t.Fatalf("received %d bytes, want %d identical", len(got), len(data))
	}
	return elapsed
}

// writeAndClose writes data to c and closes its write side in a goroutine
// of its own; the channel yields the result.
func writeAndClose(c *Conn, data []byte) <-chan error {
	werr := make(chan error, 1)
	go func() {
		_, err := c.Write(data)
		if err == nil {
			err = c.CloseWrite()
		}
		werr <- err
	}()
	return werr
}
