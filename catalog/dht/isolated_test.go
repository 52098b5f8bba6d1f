package dht

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/swarm-project/swarm/catalog"
)

// A node without bootstrap peers works alone: Bootstrap dials nobody,
// Provide keeps the root as pending, FindProviders says nobody has it.
func TestIsolatedNode(t *testing.T) {
	h := newHost(t)
	d := newDHT(t, h, Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := d.Bootstrap(ctx); err != nil {
		t.Fatalf("Bootstrap without peers: %v", err)
	}
	if n := len(h.Network().Peers()); n != 0 {
		t.Fatalf("connected to %d peers with no bootstrap peers configured", n)
	}
	root := testRoot(t, "alone")
	if err := d.Provide(ctx, root); err != nil {
		t.Fatalf("Provide alone: %v", err)
	}
	st := d.Roots()
	if len(st) != 1 || st[0].Peers != 0 || !errors.Is(st[0].Err, ErrNoPeers) {
		t.Fatalf("roots = %+v; want one pending root with ErrNoPeers", st)
	}
	ais, err := findBounded(t, d, root, 1, time.Second)
	if !errors.Is(err, catalog.ErrNoProviders) || len(ais) != 0 {
		t.Fatalf("FindProviders alone = %v, %v; want ErrNoProviders", ais, err)
	}
}

// Bootstrap peers that cannot be reached give ErrBootstrap, not a hang.
func TestBootstrapUnreachable(t *testing.T) {
	gone := newHost(t)
	ai := info(gone)
	_ = gone.Close()
	d := newDHT(t, newHost(t), Config{Bootstrap: []peer.AddrInfo{ai}})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := d.Bootstrap(ctx); !errors.Is(err, ErrBootstrap) {
		t.Fatalf("Bootstrap = %v; want ErrBootstrap", err)
	}
}

// A host that listens nowhere (the embedded, dial-only node) cannot be a
// provider: Provide says so instead of announcing an undialable record.
func TestProvideWithoutListenAddresses(t *testing.T) {
	h, err := libp2p.New(libp2p.NoListenAddrs)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.Close() })
	d := newDHT(t, h, Config{})
	if err := d.Provide(context.Background(), testRoot(t, "dial-only")); !errors.Is(err, ErrNoAddresses) {
		t.Fatalf("Provide = %v; want ErrNoAddresses", err)
	}
}
