package dht

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/peerstore"
)

const (
	// dialTimeout bounds the connection to one bootstrap peer.
	dialTimeout = 10 * time.Second
	// tableWait bounds the wait for identify to put the first connected
	// peer into the routing table.
	tableWait = 5 * time.Second
	// tablePoll is how often that wait looks at the routing table.
	tablePoll = 20 * time.Millisecond
)

// Bootstrap connects to the configured bootstrap peers, waits (briefly) for
// them to enter the routing table, refreshes the table with lookups, then
// has pending roots announced. It returns an error wrapping ErrBootstrap if
// bootstrap peers were configured and none could be reached; a node
// without bootstrap peers simply starts alone (mDNS or --peer may bring
// peers later). Call it once at start; calling it again is harmless.
func (d *DHT) Bootstrap(ctx context.Context) error {
	if d.isClosed() {
		return ErrClosed
	}
	reached, err := d.connectBootstrap(ctx)
	if reached > 0 {
		d.waitRoutingTable(ctx)
	}
	if d.RoutingTableSize() > 0 {
		select {
		case rerr := <-d.kad.RefreshRoutingTable():
			if rerr != nil {
				d.log.Debug("routing table refresh incomplete", "err", rerr)
			}
		case <-ctx.Done():
		}
	}
	d.log.Info("dht bootstrapped", "bootstrap_reached", reached, "routing_table", d.RoutingTableSize())
	d.wake()
	return err
}

// connectBootstrap dials every bootstrap peer at once and counts successes.
func (d *DHT) connectBootstrap(ctx context.Context) (int, error) {
	var (
		mu      sync.Mutex
		reached int
		errs    []error
		wg      sync.WaitGroup
	)
	tried := 0
	for _, ai := range d.cfg.Bootstrap {
		if ai.ID == d.host.ID() {
			continue
		}
		tried++
		wg.Go(func() {
			err := d.dialBootstrap(ctx, ai)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", ai.ID, err))
				return
			}
			reached++
		})
	}
	wg.Wait()
	if tried > 0 && reached == 0 {
		return 0, fmt.Errorf("%w: %w", ErrBootstrap, errors.Join(errs...))
	}
	for _, e := range errs {
		d.log.Warn("bootstrap peer unreachable", "err", e)
	}
	return reached, nil
}

// dialBootstrap keeps the peer's addresses for good (kad-dht redials
// bootstrap peers when its routing table empties) and connects.
func (d *DHT) dialBootstrap(ctx context.Context, ai peer.AddrInfo) error {
	d.host.Peerstore().AddAddrs(ai.ID, ai.Addrs, peerstore.PermanentAddrTTL)
	cctx, cancel := context.WithTimeout(ctx, dialTimeout)
	defer cancel()
	return d.host.Connect(cctx, ai)
}

// waitRoutingTable returns once the routing table holds a peer, or after
// tableWait, or when ctx ends. Connected peers enter the table only after
// identify tells kad-dht they speak our DHT protocol, a moment after the
// connection is up; kad-dht signals nothing we could wait on instead.
func (d *DHT) waitRoutingTable(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, tableWait)
	defer cancel()
	t := time.NewTicker(tablePoll)
	defer t.Stop()
	for d.RoutingTableSize() == 0 {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
