package node

import (
	"context"
	"net/http"
	"net/netip"
	"slices"
	"sync"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/swarm-project/swarm/chunker/manifest"
	"github.com/swarm-project/swarm/node/wire"
	"github.com/swarm-project/swarm/swarm/fetch"
	"github.com/swarm-project/swarm/swarm/httpsrc"
)

// Limits on the endpoints peers advertise (docs/spec/chunk-protocol.md).
const (
	maxPeerEndpoints = 8               // URLs taken from peers per download
	endpointsTimeout = 5 * time.Second // to hear from every peer at once
)

// advert is an endpoint URL and the peer that advertised it.
type advert struct {
	url string
	via peer.ID
}

// advertised is an HTTP endpoint a peer told us about, named with that peer
// in progress and summaries.
type advertised struct {
	*httpsrc.Endpoint
	name string
}

func (a *advertised) Name() string { return a.name }

// peerEndpoints asks the download's peers which HTTP(S) URLs serve root and
// returns them as sources: only http and https, at most maxPeerEndpoints,
// one per location (scheme, host and path: URLs that differ only in their
// query or credentials are one mirror), none the user gave in skip. Their
// bytes are verified like any source's; a liar is dropped.
func (n *Node) peerEndpoints(m *manifest.Manifest, ads []advert, skip []string) []fetch.Source {
	seen := map[string]bool{}
	for _, u := range skip {
		seen[location(u)] = true
	}
	var out []fetch.Source
	for _, a := range ads {
		ep, err := httpsrc.New(a.url, m, n.peerClient(a.via))
		if err != nil {
			n.log.Warn("ignoring an endpoint a peer advertised", "peer", a.via, "err", err)
			continue
		}
		loc := location(a.url)
		if seen[loc] {
			continue
		}
		seen[loc] = true
		if len(out) == maxPeerEndpoints {
			n.log.Info("ignoring further endpoints peers advertised", "max", maxPeerEndpoints)
			break
		}
		out = append(out, &advertised{Endpoint: ep, name: ep.Name() + " (via peer " + shortPeer(a.via) + ")"})
	}
	return out
}

// location is a URL without credentials and query: what it names.
func location(raw string) string {
	u, err := httpsrc.ParseURL(raw)
	if err != nil {
		return raw
	}
	return httpsrc.Redact(u)
}

// askingEndpoints starts asking the peers for root's endpoints, unless off,
// while the manifest is resolved (each takes a round trip, so the download
// does not wait twice). wait returns the answers; stop abandons the asking
// and waits for it to end. One of them must be called.
func (n *Node) askingEndpoints(ctx context.Context, root cid.Cid, peers []*peerSource, off bool) (wait func() []advert, stop func()) {
	if off || len(peers) == 0 {
		return func() []advert { return nil }, func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	ch := make(chan []advert, 1)
	go func() { ch <- n.askEndpoints(ctx, root, peers) }()
	wait = func() []advert { defer cancel(); return <-ch }
	stop = func() { cancel(); <-ch }
	return wait, stop
}

// askEndpoints asks every peer at once, for at most endpointsTimeout. A peer
// that cannot answer (an old version resets the stream) advertises nothing.
func (n *Node) askEndpoints(ctx context.Context, root cid.Cid, peers []*peerSource) []advert {
	ctx, cancel := context.WithTimeout(ctx, endpointsTimeout)
	defer cancel()
	lists := make([][]string, len(peers))
	var wg sync.WaitGroup
	for i, ps := range peers {
		wg.Go(func() {
			m, err := ps.request(ctx, wire.Message{Type: wire.TypeEndpoints, CID: root}, wire.TypeEndpointList)
			if err != nil {
				n.log.Debug("peer advertises no endpoints", "peer", ps.peer, "err", err)
				return
			}
			lists[i] = m.URLs
		})
	}
	wg.Wait()
	var out []advert
	for i, urls := range lists {
		for _, u := range urls {
			out = append(out, advert{url: u, via: peers[i].peer})
		}
	}
	return out
}

// peerClient is the HTTP client for URLs p advertised: never to link-local
// or multicast addresses, and to loopback only if p itself is on this host.
func (n *Node) peerClient(p peer.ID) *http.Client {
	onHost := slices.ContainsFunc(n.host.Network().ConnsToPeer(p), func(c network.Conn) bool {
		return isLoopback(c.RemoteMultiaddr())
	})
	return httpsrc.PeerClient(onHost)
}

func isLoopback(a ma.Multiaddr) bool {
	for _, code := range []int{ma.P_IP4, ma.P_IP6} {
		if v, err := a.ValueForProtocol(code); err == nil {
			ip, err := netip.ParseAddr(v)
			return err == nil && ip.IsLoopback()
		}
	}
	return false
}

// shortPeer is the end of a peer ID, enough to match it in a summary.
func shortPeer(p peer.ID) string {
	s := p.String()
	return "…" + s[max(0, len(s)-8):]
}
