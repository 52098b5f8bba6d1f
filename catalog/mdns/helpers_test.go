package mdns

import (
	"bytes"
	"runtime"
	"runtime/pprof"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
)

func newHost(t testing.TB) host.Host {
	t.Helper()
	h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.Close() })
	return h
}

func newService(t testing.TB, h host.Host) *Service {
	t.Helper()
	s, err := New(h, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// startDialersOnly starts the dialling goroutines without mDNS itself, so
// the notifee logic is tested without any multicast traffic.
func startDialersOnly(t testing.TB, s *Service) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.startDialersLocked(); err != nil {
		t.Fatal(err)
	}
}

// fakePeer is a peer ID nobody runs, with a loopback address.
func fakePeer(t testing.TB) peer.AddrInfo {
	t.Helper()
	sk, _, err := crypto.GenerateEd25519Key(nil)
	if err != nil {
		t.Fatal(err)
	}
	id, err := peer.IDFromPrivateKey(sk)
	if err != nil {
		t.Fatal(err)
	}
	return peer.AddrInfo{ID: id, Addrs: []ma.Multiaddr{ma.StringCast("/ip4/127.0.0.1/tcp/9")}}
}

// waitGoroutines polls until at most want goroutines run, then fails with
// a dump of the survivors.
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
