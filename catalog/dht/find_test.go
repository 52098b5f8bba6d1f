package dht

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/swarm-project/swarm/catalog"
)

// findBounded runs FindProviders and fails the test, instead of hanging it,
// if the call outlives its context by more than a grace period.
func findBounded(t *testing.T, d *DHT, root cid.Cid, limit int, timeout time.Duration) ([]peer.AddrInfo, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	type result struct {
		ais []peer.AddrInfo
		err error
	}
	done := make(chan result, 1)
	go func() {
		ais, err := d.FindProviders(ctx, root, limit)
		done <- result{ais, err}
	}()
	select {
	case r := <-done:
		return r.ais, r.err
	case <-time.After(timeout + 5*time.Second):
		t.Fatalf("FindProviders did not return within %v of its %v deadline", 5*time.Second, timeout)
		return nil, nil
	}
}

// Five nodes bootstrapped off one: a root provided by one is found, with
// dialable addresses, by each of the others.
func TestProvideFindFiveNodes(t *testing.T) {
	c := newCluster(t, 5, Config{})
	root := testRoot(t, "five nodes")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.dhts[2].Provide(ctx, root); err != nil {
		t.Fatal(err)
	}
	st := c.dhts[2].Roots()
	if len(st) != 1 || !st[0].Root.Equals(root) || st[0].Peers < 1 || st[0].Err != nil {
		t.Fatalf("roots after Provide = %+v, want one root announced to at least one peer", st)
	}
	for _, i := range []int{4, 0, 1, 3} {
		ais, err := findBounded(t, c.dhts[i], root, 1, 5*time.Second)
		if err != nil {
			t.Fatalf("node %d: %v", i, err)
		}
		if len(ais) != 1 || ais[0].ID != c.hosts[2].ID() || len(ais[0].Addrs) == 0 {
			t.Fatalf("node %d found %v, want %s with addresses", i, ais, c.hosts[2].ID())
		}
	}
	// The addresses found are good enough to dial with a fresh peerstore entry.
	ais, _ := findBounded(t, c.dhts[4], root, 1, 5*time.Second)
	_ = c.hosts[4].Network().ClosePeer(ais[0].ID)
	c.hosts[4].Peerstore().ClearAddrs(ais[0].ID)
	// Skip the dial backoff: closing the connection can fail a dial the
	// DHT had in flight, and that backoff is not what this checks.
	dctx := network.WithForceDirectDial(ctx, "fresh dial of the addresses found")
	if err := c.hosts[4].Connect(dctx, ais[0]); err != nil {
		t.Fatalf("dialling the provider with the addresses found: %v", err)
	}
}

// A root nobody provides ends in ErrNoProviders, well within the deadline,
// rather than a hang.
func TestFindNobodyHasIt(t *testing.T) {
	c := newCluster(t, 5, Config{})
	if err := c.dhts[1].Provide(context.Background(), testRoot(t, "something else")); err != nil {
		t.Fatal(err)
	}
	absent := testRoot(t, "nobody has this")
	ais, err := findBounded(t, c.dhts[3], absent, 5, 3*time.Second)
	if !errors.Is(err, catalog.ErrNoProviders) || !errors.Is(err, context.DeadlineExceeded) || len(ais) != 0 {
		t.Fatalf("FindProviders = %v, %v; want ErrNoProviders after the deadline", ais, err)
	}
	// Without a deadline the search is bounded by its lookup rounds.
	done := make(chan error, 1)
	go func() {
		_, err := c.dhts[3].FindProviders(context.Background(), absent, 5)
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, catalog.ErrNoProviders) || errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("FindProviders without deadline: %v; want ErrNoProviders alone", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("FindProviders without a deadline did not return")
	}
}

// A record that arrives while the search is on is found: a lookup that
// finds nothing is repeated.
func TestFindWaitsForLateRecord(t *testing.T) {
	c := newCluster(t, 3, Config{})
	root := testRoot(t, "late")
	late := time.AfterFunc(300*time.Millisecond, func() { _ = c.dhts[1].Provide(context.Background(), root) })
	defer late.Stop()
	ais, err := findBounded(t, c.dhts[2], root, 1, 5*time.Second)
	if err != nil || len(ais) != 1 || ais[0].ID != c.hosts[1].ID() {
		t.Fatalf("found %v, %v; want node 1", ais, err)
	}
}

// A context that ends before anything is found gives an error that is both
// ErrNoProviders and the context's error.
func TestFindContextEnded(t *testing.T) {
	c := newCluster(t, 2, Config{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.dhts[1].FindProviders(ctx, testRoot(t, "x"), 1)
	if !errors.Is(err, catalog.ErrNoProviders) || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v; want ErrNoProviders and context.Canceled", err)
	}
}

// The provider does not find itself, and limit caps the answer.
func TestFindSkipsSelfAndHonoursLimit(t *testing.T) {
	c := newCluster(t, 4, Config{})
	root := testRoot(t, "shared")
	for _, i := range []int{1, 2, 3} {
		if err := c.dhts[i].Provide(context.Background(), root); err != nil {
			t.Fatal(err)
		}
	}
	// Records are stored asynchronously by the peers that receive them, so
	// a search right after Provide may see only some providers: search
	// again until both others are seen.
	deadline := time.Now().Add(5 * time.Second)
	for {
		ais, err := findBounded(t, c.dhts[1], root, 10, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		got := map[peer.ID]bool{}
		for _, ai := range ais {
			got[ai.ID] = true
		}
		if got[c.hosts[1].ID()] || len(got) != len(ais) {
			t.Fatalf("node 1 found %v: itself, or a provider twice", ais)
		}
		if got[c.hosts[2].ID()] && got[c.hosts[3].ID()] && len(ais) == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("node 1 found %v; want nodes 2 and 3", ais)
		}
	}
	if ais, err := findBounded(t, c.dhts[0], root, 1, 5*time.Second); err != nil || len(ais) != 1 {
		t.Fatalf("limit 1: %v, %v", ais, err)
	}
}
