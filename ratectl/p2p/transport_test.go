package p2p_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"io"
	"runtime"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	rcp2p "github.com/swarm-project/swarm/ratectl/p2p"
	"github.com/swarm-project/swarm/ratectl/session"
)

func newHost(t *testing.T, reg *rcp2p.Registry, listen ...string) host.Host {
	t.Helper()
	h, err := libp2p.New(
		libp2p.NoTransports,
		libp2p.Transport(rcp2p.New(session.Config{}, reg)),
		libp2p.ListenAddrStrings(listen...),
		libp2p.DisableRelay(),
	)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestAddr(t *testing.T) {
	for s, ok := range map[string]bool{
		"/ip4/127.0.0.1/udp/4802/swarmrc": true,
		"/ip6/::1/udp/1/swarmrc":          true,
		"/ip4/127.0.0.1/udp/4802/quic-v1": false,
		"/ip4/127.0.0.1/tcp/4802":         false,
		"/ip4/127.0.0.1/udp/4802/swarmrc/p2p/12D3KooWGBfKqTqgYpWHeHJWXbdkw7BXaJF6QJ6Q1vAUdMpgczh8": true,
	} {
		if got := rcp2p.IsAddr(ma.StringCast(s)); got != ok {
			t.Errorf("IsAddr(%s) = %v", s, got)
		}
	}
}

// Two real hosts, a real UDP socket each: a stream carries 16 MiB each way
// through Noise/TLS and yamux over the rate-controlled session.
func TestStreamOverSwarmrc(t *testing.T) {
	before := runtime.NumGoroutine()
	var regA, regB rcp2p.Registry
	a := newHost(t, &regA, "/ip4/127.0.0.1/udp/0/swarmrc")
	b := newHost(t, &regB) // dial only
	payload := make([]byte, 16<<20)
	rand.Read(payload)
	a.SetStreamHandler("/echo", func(s network.Stream) {
		defer s.Close()
		io.Copy(s, s)
	})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := b.Connect(ctx, peer.AddrInfo{ID: a.ID(), Addrs: a.Addrs()}); err != nil {
		t.Fatal(err)
	}
	conns := b.Network().ConnsToPeer(a.ID())
	if len(conns) != 1 || !rcp2p.IsAddr(conns[0].RemoteMultiaddr()) {
		t.Fatalf("connection not over swarmrc: %v", conns)
	}
	s, err := b.NewStream(ctx, a.ID(), "/echo")
	if err != nil {
		t.Fatal(err)
	}
	go func() { s.Write(payload); s.CloseWrite() }()
	got, err := io.ReadAll(s)
	if err != nil || !bytes.Equal(got, payload) {
		t.Fatalf("echo: %d bytes, err %v", len(got), err)
	}
	for _, reg := range []*rcp2p.Registry{&regA, &regB} {
		cs := reg.Conns()
		if len(cs) != 1 || cs[0].Stats.BytesRecv < int64(len(payload)) || cs[0].Stats.RTT <= 0 {
			t.Fatalf("registry: %+v", cs)
		}
	}
	b.Close()
	a.Close()
	// The ended sessions' bytes stay in the totals (swarm status).
	for name, reg := range map[string]*rcp2p.Registry{"listener": &regA, "dialer": &regB} {
		for end := time.Now().Add(10 * time.Second); len(reg.Conns()) > 0 && time.Now().Before(end); {
			time.Sleep(20 * time.Millisecond)
		}
		tot := reg.Totals()
		if tot.BytesSent < int64(len(payload)) || tot.BytesRecv < int64(len(payload)) || tot.BytesRetrans > tot.BytesSent {
			t.Errorf("%s totals after close: %+v", name, tot)
		}
		if cs := reg.Conns(); len(cs) != 0 {
			t.Errorf("%s: %d sessions listed after close", name, len(cs))
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > before+5 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before+5 {
		buf := make([]byte, 1<<20)
		t.Fatalf("goroutines: %d before, %d after close\n%s", before, n, buf[:runtime.Stack(buf, true)])
	}
}
