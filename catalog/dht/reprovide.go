package dht

import (
	"context"
	"sync"
	"time"

	"github.com/ipfs/go-cid"
)

const (
	// retryMin and retryMax bound the back-off between attempts to announce
	// roots that reached nobody while the routing table has peers.
	retryMin = 5 * time.Second
	retryMax = 5 * time.Minute
	// emptyTablePoll is how often pending roots check for a first DHT peer
	// (a look at the routing table, no traffic).
	emptyTablePoll = 2 * time.Second
	// announceTimeout bounds one background announcement.
	announceTimeout = time.Minute
	// announceWorkers is how many roots are announced at once.
	announceWorkers = 8
)

// reprovideLoop announces every root each ReprovideInterval and retries
// pending ones: at once when kicked (Schedule, Bootstrap), otherwise with
// back-off (rearm, sent when Provide leaves a root pending, only resets the
// timer). It is the DHT's only long-lived goroutine; Close cancels
// ctx and waits for it.
func (d *DHT) reprovideLoop(ctx context.Context) {
	defer d.wg.Done()
	tick := time.NewTicker(d.cfg.ReprovideInterval)
	defer tick.Stop()
	retry := time.NewTimer(retryMin)
	defer retry.Stop()
	backoff := retryMin
	for {
		if !d.armRetry(retry, backoff) {
			backoff = retryMin
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			d.announceRoots(ctx, d.rootList(false))
		case <-d.kick:
			backoff = retryMin
			d.announceRoots(ctx, d.rootList(true))
		case <-d.rearm:
		case <-retry.C:
			if d.RoutingTableSize() > 0 {
				d.announceRoots(ctx, d.rootList(true))
				backoff = min(2*backoff, retryMax)
			}
		}
	}
}

// armRetry sets the retry timer: off when nothing is pending, a cheap poll
// while the routing table is empty, the back-off otherwise. It reports
// whether any root is pending.
func (d *DHT) armRetry(t *time.Timer, backoff time.Duration) bool {
	switch {
	case len(d.rootList(true)) == 0:
		t.Stop()
		return false
	case d.RoutingTableSize() == 0:
		t.Reset(emptyTablePoll)
	default:
		t.Reset(backoff)
	}
	return true
}

// announceRoots announces roots, announceWorkers at a time, and records
// each outcome.
func (d *DHT) announceRoots(ctx context.Context, roots []cid.Cid) {
	sem := make(chan struct{}, announceWorkers)
	var wg sync.WaitGroup
	for _, r := range roots {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return
		}
		wg.Go(func() {
			defer func() { <-sem }()
			actx, cancel := context.WithTimeout(ctx, announceTimeout)
			defer cancel()
			n, err := d.announce(actx, r)
			if ctx.Err() != nil {
				return // closing: leave the root pending
			}
			d.record(r, n, err)
			if err != nil {
				d.log.Debug("announcement failed", "root", r, "err", err)
			}
		})
	}
	wg.Wait()
}
