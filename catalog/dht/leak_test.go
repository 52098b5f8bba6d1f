package dht

import (
	"bytes"
	"context"
	"errors"
	"runtime"
	"runtime/pprof"
	"testing"
	"time"
)

// waitGoroutines polls until at most want goroutines run, and fails with a
// dump of the survivors after a few seconds (transient query goroutines of
// kad-dht and connection goroutines of closed hosts wind down
// asynchronously).
func waitGoroutines(t *testing.T, want int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > want {
		if time.Now().After(deadline) {
			var buf bytes.Buffer
			_ = pprof.Lookup("goroutine").WriteTo(&buf, 1)
			t.Fatalf("%d goroutines left, want at most %d:\n%s", runtime.NumGoroutine(), want, buf.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A scenario of three nodes leaves no goroutine behind once the DHTs and
// hosts are closed; calls after Close fail with ErrClosed.
func TestCloseLeavesNoGoroutines(t *testing.T) {
	scenario := func(t *testing.T) *cluster {
		c := newCluster(t, 3, Config{ReprovideInterval: time.Hour})
		root := testRoot(t, "leak")
		if err := c.dhts[1].Provide(context.Background(), root); err != nil {
			t.Fatal(err)
		}
		if _, err := findBounded(t, c.dhts[2], root, 1, 5*time.Second); err != nil {
			t.Fatal(err)
		}
		if _, err := findBounded(t, c.dhts[2], testRoot(t, "absent"), 1, 500*time.Millisecond); err == nil {
			t.Fatal("found an absent root")
		}
		for i, d := range c.dhts {
			if err := d.Close(); err != nil {
				t.Fatalf("close %d: %v", i, err)
			}
		}
		for _, h := range c.hosts {
			_ = h.Close()
		}
		return c
	}
	// A first run starts libp2p's process-wide goroutines, if any.
	t.Run("warm-up", func(t *testing.T) { scenario(t) })
	before := runtime.NumGoroutine()
	c := scenario(t)
	waitGoroutines(t, before)

	d := c.dhts[0]
	if err := d.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	ctx := context.Background()
	if err := d.Provide(ctx, testRoot(t, "late")); !errors.Is(err, ErrClosed) {
		t.Errorf("Provide after Close: %v", err)
	}
	if _, err := d.FindProviders(ctx, testRoot(t, "late"), 1); !errors.Is(err, ErrClosed) {
		t.Errorf("FindProviders after Close: %v", err)
	}
	if err := d.Bootstrap(ctx); !errors.Is(err, ErrClosed) {
		t.Errorf("Bootstrap after Close: %v", err)
	}
	if err := d.Schedule(testRoot(t, "late")); !errors.Is(err, ErrClosed) {
		t.Errorf("Schedule after Close: %v", err)
	}
}
