package dht

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/multiformats/go-multihash"
)

const (
	// lookupTimeout bounds the search for the peers closest to a root.
	lookupTimeout = 30 * time.Second
	// putTimeout bounds sending one provider record.
	putTimeout = 10 * time.Second
)

// announce stores a provider record for root locally and sends it to the
// peers closest to it, and returns how many peers took the record.
//
// kad-dht's own Provide does the same but reports nothing about where the
// records went: it returns nil when every put failed. Counting them tells
// the caller whether the root must be announced again. In a small network
// (2–10 nodes) the lookup ends by starvation and yields every peer; with an
// empty routing table (before identify has run on the first connection,
// or with no peers at all) it fails at once, and the root stays pending.
func (d *DHT) announce(ctx context.Context, root cid.Cid) (int, error) {
	if err := d.kad.Provide(ctx, root, false); err != nil {
		return 0, fmt.Errorf("dht: local provider record: %w", err)
	}
	self := peer.AddrInfo{ID: d.host.ID(), Addrs: d.kad.FilteredAddrs()}
	if len(self.Addrs) == 0 {
		return 0, ErrNoAddresses
	}
	key := root.Hash()
	lctx, cancel := lookupContext(ctx)
	targets, lerr := d.kad.GetClosestPeers(lctx, string(key))
	cancel()
	if len(targets) == 0 {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		if d.RoutingTableSize() == 0 {
			return 0, ErrNoPeers
		}
		return 0, fmt.Errorf("%w: closest-peers lookup: %w", ErrNotAnnounced, lerr)
	}
	n, err := d.putRecords(ctx, targets, key, self)
	if n == 0 {
		return 0, fmt.Errorf("%w (%d tried): %w", ErrNotAnnounced, len(targets), err)
	}
	return n, nil
}

// lookupContext bounds the lookup and leaves a tenth of the caller's time
// (at most a second) for sending the records.
func lookupContext(ctx context.Context) (context.Context, context.CancelFunc) {
	deadline, ok := ctx.Deadline()
	if !ok {
		return context.WithTimeout(ctx, lookupTimeout)
	}
	reserve := min(time.Until(deadline)/10, time.Second)
	return context.WithDeadline(ctx, deadline.Add(-reserve))
}

// putRecords sends the provider record to every target at once and counts
// the peers that took it.
func (d *DHT) putRecords(ctx context.Context, targets []peer.ID, key multihash.Multihash, self peer.AddrInfo) (int, error) {
	var (
		mu   sync.Mutex
		ok   int
		errs []error
		wg   sync.WaitGroup
	)
	for _, p := range targets {
		wg.Go(func() {
			pctx, cancel := context.WithTimeout(ctx, putTimeout)
			defer cancel()
			err := d.msgr.PutProviderAddrs(pctx, p, key, self)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", p, err))
				return
			}
			ok++
		})
	}
	wg.Wait()
	return ok, errors.Join(errs...)
}
