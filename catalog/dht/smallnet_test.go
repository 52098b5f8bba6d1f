package dht

import (
	"context"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
)

// The smallest network: two nodes. The record lands on the only other
// node, which then finds the provider.
func TestTwoNodes(t *testing.T) {
	c := newCluster(t, 2, Config{})
	root := testRoot(t, "two")
	if err := c.dhts[1].Provide(context.Background(), root); err != nil {
		t.Fatal(err)
	}
	if st := c.dhts[1].Roots(); st[0].Peers != 1 {
		t.Fatalf("record sent to %d peers, want 1", st[0].Peers)
	}
	ais, err := findBounded(t, c.dhts[0], root, 1, 3*time.Second)
	if err != nil || len(ais) != 1 || ais[0].ID != c.hosts[1].ID() {
		t.Fatalf("found %v, %v; want node 1", ais, err)
	}
}

// A root provided before the node has any DHT peer is announced once
// Bootstrap brings peers, and is then found by a third node.
func TestProvideBeforeBootstrapLands(t *testing.T) {
	hook, ch := announcements()
	hb := newHost(t)
	b := newDHT(t, hb, Config{})
	ha := newHost(t)
	a := newDHT(t, ha, Config{Bootstrap: []peer.AddrInfo{info(hb)}, onAnnounce: hook})
	root := testRoot(t, "early")
	if err := a.Provide(context.Background(), root); err != nil {
		t.Fatal(err)
	}
	if st := a.Roots(); st[0].Peers != 0 {
		t.Fatalf("announced to %d peers before bootstrap", st[0].Peers)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.Bootstrap(ctx); err != nil {
		t.Fatal(err)
	}
	waitAnnounced(t, ch, root, 10*time.Second)

	hc := newHost(t)
	cdht := newDHT(t, hc, Config{Bootstrap: []peer.AddrInfo{info(hb)}})
	if err := cdht.Bootstrap(ctx); err != nil {
		t.Fatal(err)
	}
	ais, err := findBounded(t, cdht, root, 1, 5*time.Second)
	if err != nil || len(ais) != 1 || ais[0].ID != ha.ID() {
		t.Fatalf("third node found %v, %v; want the early provider", ais, err)
	}
	_ = b
}

// A pending root is announced when a peer turns up by other means (mDNS,
// --peer) without Bootstrap being called again.
func TestPendingRootAnnouncedWhenPeerConnects(t *testing.T) {
	hook, ch := announcements()
	ha, hb := newHost(t), newHost(t)
	a := newDHT(t, ha, Config{onAnnounce: hook})
	newDHT(t, hb, Config{})
	root := testRoot(t, "pending")
	if err := a.Provide(context.Background(), root); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := ha.Connect(ctx, info(hb)); err != nil {
		t.Fatal(err)
	}
	if got := waitAnnounced(t, ch, root, 10*time.Second); got.peers != 1 {
		t.Fatalf("announced to %d peers, want 1", got.peers)
	}
}

// Every root is announced again each ReprovideInterval; a forgotten root
// is not.
func TestReprovide(t *testing.T) {
	hook, ch := announcements()
	hb := newHost(t)
	newDHT(t, hb, Config{})
	a := newDHT(t, newHost(t), Config{
		Bootstrap: []peer.AddrInfo{info(hb)}, ReprovideInterval: 50 * time.Millisecond, onAnnounce: hook,
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.Bootstrap(ctx); err != nil {
		t.Fatal(err)
	}
	root := testRoot(t, "again")
	if err := a.Schedule(root); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		waitAnnounced(t, ch, root, 5*time.Second)
	}
	a.Forget(root)
	if st := a.Roots(); len(st) != 0 {
		t.Fatalf("roots after Forget = %+v", st)
	}
}

// A client-mode node can provide (its records go to servers) and find.
func TestClientMode(t *testing.T) {
	c := newCluster(t, 2, Config{})
	hc := newHost(t)
	cl := newDHT(t, hc, Config{Mode: ModeClient, Bootstrap: []peer.AddrInfo{info(c.hosts[0])}})
	c.bootstrap(t, cl)
	mine, theirs := testRoot(t, "client's"), testRoot(t, "server's")
	if err := cl.Provide(context.Background(), mine); err != nil {
		t.Fatal(err)
	}
	if err := c.dhts[0].Provide(context.Background(), theirs); err != nil {
		t.Fatal(err)
	}
	if ais, err := findBounded(t, c.dhts[1], mine, 1, 5*time.Second); err != nil || ais[0].ID != hc.ID() {
		t.Fatalf("server finding the client's root: %v, %v", ais, err)
	}
	if ais, err := findBounded(t, cl, theirs, 1, 5*time.Second); err != nil || ais[0].ID != c.hosts[0].ID() {
		t.Fatalf("client finding a server's root: %v, %v", ais, err)
	}
}

// Auto mode on private (here loopback) addresses still stores records:
// kad-dht's plain auto mode would stay a client until AutoNAT reports
// public reachability, and a lab of such nodes would have no DHT servers.
func TestAutoModeOnPrivateAddresses(t *testing.T) {
	c := newCluster(t, 3, Config{Mode: ModeAuto})
	root := testRoot(t, "auto")
	if err := c.dhts[1].Provide(context.Background(), root); err != nil {
		t.Fatal(err)
	}
	if st := c.dhts[1].Roots(); st[0].Peers < 1 {
		t.Fatalf("auto-mode record reached %d peers: %+v", st[0].Peers, st[0])
	}
	if ais, err := findBounded(t, c.dhts[2], root, 1, 5*time.Second); err != nil || ais[0].ID != c.hosts[1].ID() {
		t.Fatalf("found %v, %v", ais, err)
	}
}
