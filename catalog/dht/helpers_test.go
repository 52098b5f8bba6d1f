package dht

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/multiformats/go-multihash"
)

// newHost starts a libp2p host on 127.0.0.1, port 0. Closing is idempotent,
// so tests may close it early.
func newHost(t testing.TB) host.Host {
	t.Helper()
	h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.Close() })
	return h
}

func info(h host.Host) peer.AddrInfo {
	return peer.AddrInfo{ID: h.ID(), Addrs: h.Addrs()}
}

// newDHT starts a DHT (closed before its host at cleanup).
func newDHT(t testing.TB, h host.Host, cfg Config) *DHT {
	t.Helper()
	d, err := New(context.Background(), h, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	return d
}

// testRoot names some content nobody else uses.
func testRoot(t testing.TB, name string) cid.Cid {
	t.Helper()
	mh, err := multihash.Sum([]byte(name), multihash.SHA2_256, -1)
	if err != nil {
		t.Fatal(err)
	}
	return cid.NewCidV1(cid.Raw, mh)
}

type cluster struct {
	hosts []host.Host
	dhts  []*DHT
}

// newCluster starts n server DHTs; node 0 has no bootstrap peers, every
// other node bootstraps off node 0 only. cfg is applied to every node.
func newCluster(t testing.TB, n int, cfg Config) *cluster {
	t.Helper()
	c := &cluster{}
	for range n {
		c.hosts = append(c.hosts, newHost(t))
	}
	for i, h := range c.hosts {
		nc := cfg
		if i > 0 {
			nc.Bootstrap = []peer.AddrInfo{info(c.hosts[0])}
		}
		c.dhts = append(c.dhts, newDHT(t, h, nc))
	}
	c.bootstrap(t, c.dhts[1:]...)
	return c
}

// bootstrap runs Bootstrap on every DHT given, at once.
func (c *cluster) bootstrap(t testing.TB, ds ...*DHT) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	errs := make([]error, len(ds))
	var wg sync.WaitGroup
	for i, d := range ds {
		wg.Go(func() { errs[i] = d.Bootstrap(ctx) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("bootstrap %d: %v", i, err)
		}
	}
}

// announcement is one call of Config.onAnnounce.
type announcement struct {
	root  cid.Cid
	peers int
	err   error
}

// announcements returns a hook that reports every announcement on ch.
func announcements() (func(cid.Cid, int, error), <-chan announcement) {
	ch := make(chan announcement, 64)
	return func(r cid.Cid, n int, err error) {
		select {
		case ch <- announcement{r, n, err}:
		default:
		}
	}, ch
}

// waitAnnounced waits for a successful announcement of root.
func waitAnnounced(t testing.TB, ch <-chan announcement, root cid.Cid, within time.Duration) announcement {
	t.Helper()
	deadline := time.After(within)
	for {
		select {
		case a := <-ch:
			if a.root.Equals(root) && a.err == nil {
				return a
			}
		case <-deadline:
			t.Fatalf("%s not announced within %v", root, within)
		}
	}
}
