package dht

import (
	"context"
	"errors"
	"fmt"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/swarm-project/swarm/catalog"
)

// FindProviders returns up to limit peers other than this one that
// announced root, each with its addresses (limit < 1 means DefaultLimit).
// The search stops when limit peers are found, when the lookup has asked
// every peer close to root, or when ctx ends, whichever comes first. If it
// found nobody, the error wraps catalog.ErrNoProviders (and ctx.Err() if the
// context ended). Providers found before ctx ended are returned without error.
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
	sctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops kad-dht's search once we have enough
	found := d.collect(d.kad.FindProvidersAsync(sctx, root, limit+1), limit)
	if len(found) > 0 {
		d.log.Debug("found providers", "root", root, "count", len(found))
		return found, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%w for %s: %w", catalog.ErrNoProviders, root, err)
	}
	return nil, fmt.Errorf("%w for %s (%d peers in the routing table)", catalog.ErrNoProviders, root, d.RoutingTableSize())
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
