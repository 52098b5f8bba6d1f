package dht

import (
	"bytes"
	"slices"
	"time"

	"github.com/ipfs/go-cid"
)

// RootState is what the DHT knows about one root it provides.
type RootState struct {
	Root cid.Cid
	// Peers is the number of peers the last announcement sent a provider
	// record to (0: not announced yet, or the last attempt failed).
	Peers int
	// Last is when the last announcement attempt ended (zero: never).
	Last time.Time
	// Err is why the last attempt failed (nil if it reached Peers > 0).
	Err error
}

type rootState struct {
	peers int
	last  time.Time
	err   error
}

// pending: never attempted, or the last attempt reached nobody.
func (s *rootState) pending() bool { return s.last.IsZero() || s.err != nil }

// Roots lists the provided roots (sorted by CID bytes) with the outcome of
// their last announcement.
func (d *DHT) Roots() []RootState {
	d.mu.Lock()
	out := make([]RootState, 0, len(d.roots))
	for c, s := range d.roots {
		out = append(out, RootState{Root: c, Peers: s.peers, Last: s.last, Err: s.err})
	}
	d.mu.Unlock()
	slices.SortFunc(out, func(a, b RootState) int { return bytes.Compare(a.Root.Bytes(), b.Root.Bytes()) })
	return out
}

// Schedule adds roots to the provided set without waiting: the background
// loop announces them. Use it at start-up for every pinned root.
func (d *DHT) Schedule(roots ...cid.Cid) error {
	if d.isClosed() {
		return ErrClosed
	}
	for _, r := range roots {
		if r.Defined() {
			d.track(r)
		}
	}
	d.wake()
	return nil
}

// Forget stops re-providing root (after an unpin). Records already stored
// on other peers expire by themselves (48 h).
func (d *DHT) Forget(root cid.Cid) {
	d.mu.Lock()
	delete(d.roots, root)
	d.mu.Unlock()
}

func (d *DHT) track(root cid.Cid) {
	d.mu.Lock()
	if _, ok := d.roots[root]; !ok {
		d.roots[root] = &rootState{}
	}
	d.mu.Unlock()
}

// record stores the outcome of an announcement, unless root was forgotten.
func (d *DHT) record(root cid.Cid, peers int, err error) {
	d.mu.Lock()
	if s, ok := d.roots[root]; ok {
		s.peers, s.last, s.err = peers, time.Now(), err
	}
	d.mu.Unlock()
	if d.cfg.onAnnounce != nil {
		d.cfg.onAnnounce(root, peers, err)
	}
}

// rootList returns every root, or only the pending ones.
func (d *DHT) rootList(pendingOnly bool) []cid.Cid {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []cid.Cid
	for c, s := range d.roots {
		if !pendingOnly || s.pending() {
			out = append(out, c)
		}
	}
	return out
}
