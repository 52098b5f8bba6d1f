package mdns

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/event"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
)

// A discovered peer is connected to and its addresses stay in the peerstore.
func TestFoundPeerIsConnected(t *testing.T) {
	a, b := newHost(t), newHost(t)
	sub, err := a.EventBus().Subscribe(new(event.EvtPeerConnectednessChanged))
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	s := newService(t, a)
	s.yieldDelay = 0
	startDialersOnly(t, s)
	s.HandlePeerFound(peer.AddrInfo{ID: b.ID(), Addrs: b.Addrs()})
	timeout := time.After(10 * time.Second)
	for a.Network().Connectedness(b.ID()) != network.Connected {
		select {
		case <-sub.Out():
		case <-timeout:
			t.Fatal("discovered peer not connected")
		}
	}
}

// Only addresses that led to a connection are kept in the peerstore: mDNS
// is unauthenticated, anyone may announce any peer ID.
func TestPeerstoreKeepsOnlyDialledAddresses(t *testing.T) {
	h := newHost(t)
	s := newService(t, h)
	s.yieldDelay = 0
	good, bad := fakePeer(t), fakePeer(t)
	s.UseConnect(func(_ context.Context, ai peer.AddrInfo) error {
		if ai.ID == bad.ID {
			return errors.New("handshake failed")
		}
		return nil
	})
	s.dial(good)
	s.dial(bad)
	if addrs := h.Peerstore().Addrs(good.ID); !slices.ContainsFunc(addrs, good.Addrs[0].Equal) {
		t.Fatalf("connected peer's addresses %v; want %v", addrs, good.Addrs)
	}
	if addrs := h.Peerstore().Addrs(bad.ID); len(addrs) != 0 {
		t.Fatalf("addresses kept for a peer that failed to connect: %v", addrs)
	}
}

// Announcements of this host, of nobody, without addresses, or repeated
// within redialAfter are not dialled.
func TestAnnouncementsFiltered(t *testing.T) {
	h := newHost(t)
	s := newService(t, h) // no dialers: the queue shows what would be dialled
	x := fakePeer(t)
	s.HandlePeerFound(peer.AddrInfo{ID: h.ID(), Addrs: h.Addrs()})
	s.HandlePeerFound(peer.AddrInfo{Addrs: x.Addrs})
	s.HandlePeerFound(peer.AddrInfo{ID: x.ID})
	s.HandlePeerFound(x)
	s.HandlePeerFound(x)
	if n := len(s.queue); n != 1 {
		t.Fatalf("%d dials queued, want 1 (x once)", n)
	}
	if got := <-s.queue; got.ID != x.ID {
		t.Fatalf("queued %s, want %s", got.ID, x.ID)
	}
	now := time.Now()
	if s.claim(x.ID, now.Add(redialAfter/2)) {
		t.Fatal("redial allowed before redialAfter")
	}
	if !s.claim(x.ID, now.Add(redialAfter+time.Second)) {
		t.Fatal("redial refused after redialAfter")
	}
}

// A full queue drops announcements without blocking mDNS, and a dropped
// peer may be queued again on its next announcement.
func TestQueueFullDrops(t *testing.T) {
	s := newService(t, newHost(t))
	var last peer.AddrInfo
	for range queueLen + 5 {
		last = fakePeer(t)
		s.HandlePeerFound(last)
	}
	if n := len(s.queue); n != queueLen {
		t.Fatalf("queue holds %d, want %d", n, queueLen)
	}
	<-s.queue
	s.HandlePeerFound(last)
	if n := len(s.queue); n != queueLen {
		t.Fatalf("a dropped peer was not queued again: queue %d", n)
	}
}

// At most `dialers` dials run at once; Close cancels them, waits for the
// dialling goroutines and makes later announcements no-ops.
func TestDialsBoundedAndCloseWaits(t *testing.T) {
	h := newHost(t)
	before := runtime.NumGoroutine()
	s, err := New(h, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.yieldDelay = 0
	started := make(chan peer.ID, 16)
	s.UseConnect(func(ctx context.Context, ai peer.AddrInfo) error {
		started <- ai.ID
		<-ctx.Done()
		return ctx.Err()
	})
	startDialersOnly(t, s)
	const n = 10
	for range n {
		s.HandlePeerFound(fakePeer(t))
	}
	for range dialers {
		<-started
	}
	// Every dialer is blocked in a dial; the rest wait in the queue.
	if q := len(s.queue); q != n-dialers {
		t.Fatalf("queue holds %d with %d dials running, want %d", q, dialers, n-dialers)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	waitGoroutines(t, before)
	s.HandlePeerFound(fakePeer(t))
	if err := s.Start(); !errors.Is(err, ErrStarted) {
		t.Fatalf("Start after Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

// Of two peers that hear each other, the one with the smaller ID dials at
// once and the other waits, so they do not dial each other simultaneously.
func TestGreaterIDYields(t *testing.T) {
	h := newHost(t)
	s, err := New(h, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.yieldDelay = time.Hour
	var dialled []peer.ID // written by dial, read after it returned
	s.UseConnect(func(_ context.Context, ai peer.AddrInfo) error {
		dialled = append(dialled, ai.ID)
		return nil
	})
	var lower, greater peer.AddrInfo
	for lower.ID == "" || greater.ID == "" {
		p := fakePeer(t)
		if p.ID < h.ID() {
			lower = p
		} else {
			greater = p
		}
	}
	s.dial(greater) // we have the smaller ID: no wait
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.dial(lower) // we have the greater ID: waits, then Close ends it
	}()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	<-done
	if len(dialled) != 1 || dialled[0] != greater.ID {
		t.Fatalf("dialled %v; want only the peer with the greater ID", dialled)
	}
}
