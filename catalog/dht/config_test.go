package dht

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
)

func TestParseMode(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Mode
		ok   bool
	}{
		{"", ModeServer, true}, {"server", ModeServer, true},
		{"client", ModeClient, true}, {"auto", ModeAuto, true}, {"Server", 0, false}, {"dht", 0, false},
	} {
		got, err := ParseMode(tc.in)
		if (err == nil) != tc.ok || (tc.ok && got != tc.want) {
			t.Errorf("ParseMode(%q) = %v, %v", tc.in, got, err)
		}
		if tc.ok && tc.in != "" && got.String() != tc.in {
			t.Errorf("%v.String() = %q", got, got.String())
		}
	}
}

// The DHT speaks only /swarm/kad/1.0.0, never the public IPFS protocol.
func TestPrivateNamespace(t *testing.T) {
	h := newHost(t)
	newDHT(t, h, Config{})
	protos := h.Mux().Protocols()
	if !slices.Contains(protos, protocol.ID("/swarm/kad/1.0.0")) || slices.Contains(protos, protocol.ID("/ipfs/kad/1.0.0")) {
		t.Fatalf("host protocols %v; want /swarm/kad/1.0.0 and not /ipfs/kad/1.0.0", protos)
	}
	if _, err := (Config{ProtocolPrefix: "/ipfs"}).withDefaults(); !errors.Is(err, ErrPublicPrefix) {
		t.Fatalf("prefix /ipfs: %v; want ErrPublicPrefix", err)
	}
	if _, err := (Config{Mode: Mode(9)}).withDefaults(); err == nil {
		t.Fatal("invalid mode accepted")
	}
}

// Two DHTs with different prefixes do not see each other.
func TestOtherPrefixIsSeparate(t *testing.T) {
	ha, hb := newHost(t), newHost(t)
	newDHT(t, ha, Config{})
	b := newDHT(t, hb, Config{ProtocolPrefix: "/other", Bootstrap: []peer.AddrInfo{info(ha)}})
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := b.Bootstrap(ctx); err != nil {
		t.Fatalf("Bootstrap: %v (the connection itself should work)", err)
	}
	if n := b.RoutingTableSize(); n != 0 {
		t.Fatalf("a /other DHT has %d /swarm peers in its routing table", n)
	}
}
