package dht

import (
	"context"
	"errors"
	"fmt"

	"github.com/ipfs/go-cid"
)

// Provide adds root to the provided set and announces it now: a provider
// record stored locally and sent to the peers closest to root. Call it for
// roots only, never per chunk.
//
// A node without DHT peers yet, or whose peers all refused the record, is
// not an error: Provide returns nil, the root stays in the set and the
// background loop announces it as soon as it can (see Roots for the state).
// Provide returns an error for an undefined CID, after Close, when the host
// listens on no address (ErrNoAddresses), and when ctx ends first (the root
// is still kept and retried).
func (d *DHT) Provide(ctx context.Context, root cid.Cid) error {
	if !root.Defined() {
		return errors.New("dht: provide: undefined CID")
	}
	if d.isClosed() {
		return ErrClosed
	}
	d.track(root)
	n, err := d.announce(ctx, root)
	d.record(root, n, err)
	switch {
	case err == nil:
		d.log.Info("announced root", "root", root, "peers", n)
		return nil
	case errors.Is(err, ErrNoAddresses):
		return err
	case ctx.Err() != nil:
		return fmt.Errorf("dht: announcing %s: %w", root, ctx.Err())
	}
	d.log.Info("root not announced yet; will retry", "root", root, "err", err)
	signal(d.rearm)
	return nil
}
