package dht

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/swarm-project/swarm/catalog"
)

const (
	// findRounds bounds the lookups of one FindProviders call.
	findRounds = 5
	// findRetry is the pause after the first empty lookup; it doubles.
	findRetry = 250 * time.Millisecond
)

// FindProviders returns up to limit peers other than this one that
// announced root, each with its addresses (limit < 1 means DefaultLimit).
//
// A lookup stops when limit peers are found or when it has asked every peer
// close to root. If it found nobody, it is repeated after 0.25, 0.5, 1 and
// 2 s (a record sent a moment ago may not be stored yet; a node that just
// started may still be filling its routing table), so a search for a root
// nobody has ends after about 4 s or when ctx ends, whichever is first. The
// error then wraps catalog.ErrNoProviders (and ctx.Err() if the context
// ended). Providers found are returned as soon as a lookup ends.
func (d *DHT) FindProviders(ctx context.Context, root cid.Cid, limit int) ([]peer.AddrInfo, error) {
	if !root.Defined() {
		return nil, errors.New("dht: find providers: undefined CID")
	}
	if d.isClosed() {
		return nil, ErrClosed
	}
	if limit < 1 {
		limit = DefaultLimit
	}
	pause := findRetry
	for round := 1; ; round++ {
		if found := d.findOnce(ctx, root, limit); len(found) > 0 {
			d.log.Debug("found providers", "root", root, "count", len(found), "lookups", round)
			return found, nil
		}
		if round == findRounds || !sleep(ctx, pause) {
			break
		}
		pause *= 2
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%w for %s: %w", catalog.ErrNoProviders, root, err)
	}
	return nil, fmt.Errorf("%w for %s (%d lookups, %d peers in the routing table)",
		catalog.ErrNoProviders, root, findRounds, d.RoutingTableSize())
}

// findOnce runs one provider lookup.
func (d *DHT) findOnce(ctx context.Context, root cid.Cid, limit int) []peer.AddrInfo {
	sctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops kad-dht's search once we have enough
	return d.collect(d.kad.FindProvidersAsync(sctx, root, limit+1), limit)
}

// sleep waits for d or until ctx ends; it reports whether ctx is still live.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// collect reads providers until the channel closes or limit is reached,
// skipping this node, merging repeats and filling addresses from the
// peerstore; a provider with no address at all is dropped.
func (d *DHT) collect(ch <-chan peer.AddrInfo, limit int) []peer.AddrInfo {
	var out []peer.AddrInfo
	index := make(map[peer.ID]int)
	for ai := range ch {
		if ai.ID == d.host.ID() {
			continue
		}
		if len(ai.Addrs) == 0 {
			ai.Addrs = d.host.Peerstore().Addrs(ai.ID)
		}
		if len(ai.Addrs) == 0 {
			d.log.Debug("provider without addresses dropped", "peer", ai.ID)
			continue
		}
		if i, ok := index[ai.ID]; ok {
			out[i].Addrs = ai.Addrs
			continue
		}
		index[ai.ID] = len(out)
		out = append(out, ai)
		if len(out) == limit {
			break
		}
	}
	return out
}
