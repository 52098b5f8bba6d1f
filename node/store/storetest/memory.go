package storetest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"

	"github.com/ipfs/go-cid"
	"github.com/swarm-project/swarm/catalog"
	"github.com/swarm-project/swarm/node/store/blobstore"
	"github.com/swarm-project/swarm/node/store/storecore"
)

// Memory is catalog.Store kept in maps, with blocks as files in a
// directory. Nothing but the blocks survives Close.
type Memory struct {
	blobs *blobstore.Store

	mu       sync.RWMutex
	closed   bool
	locs     map[cid.Cid][]catalog.Location
	pins     map[string]catalog.Pin
	journals map[string]map[uint64]struct{}
	bans     map[string]catalog.Ban
	// endpoints of each root
	endpoints map[cid.Cid][]string
}

var _ catalog.Store = (*Memory)(nil)

// NewMemory returns an empty in-memory store that keeps blocks in blobDir
// (typically t.TempDir(); it is created when the first block is put).
func NewMemory(blobDir string) catalog.Store {
	return &Memory{
		blobs:     blobstore.New(blobDir, slog.New(slog.DiscardHandler)),
		locs:      make(map[cid.Cid][]catalog.Location),
		pins:      make(map[string]catalog.Pin),
		journals:  make(map[string]map[uint64]struct{}),
		bans:      make(map[string]catalog.Ban),
		endpoints: make(map[cid.Cid][]string),
	}
}

// BlobPath is where block c is (or would be) kept.
func (m *Memory) BlobPath(c cid.Cid) string { return m.blobs.Path(c) }

// lock takes the mutex (shared if read) unless ctx is done or the store
// is closed; the caller unlocks with the returned function.
func (m *Memory) lock(ctx context.Context, read bool) (unlock func(), err error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if read {
		m.mu.RLock()
		unlock = m.mu.RUnlock
	} else {
		m.mu.Lock()
		unlock = m.mu.Unlock
	}
	if m.closed {
		unlock()
		return nil, storecore.ErrClosed
	}
	return unlock, nil
}

// Close drops the maps. Later calls return an error; closing again is a
// no-op.
func (m *Memory) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = true
	m.locs, m.pins, m.journals, m.bans, m.endpoints = nil, nil, nil, nil, nil
	return nil
}

// Stats counts the maps and the blob directory.
func (m *Memory) Stats(ctx context.Context) (catalog.Stats, error) {
	unlock, err := m.lock(ctx, true)
	if err != nil {
		return catalog.Stats{}, err
	}
	st := catalog.Stats{
		Chunks:   int64(len(m.locs)),
		Pins:     int64(len(m.pins)),
		Journals: int64(len(m.journals)),
	}
	unlock()
	st.Blobs, st.BlobBytes, err = m.blobs.Stats()
	return st, err
}

// PutLocations records a batch atomically.
func (m *Memory) PutLocations(ctx context.Context, locs []catalog.ChunkLocation) error {
	groups, err := storecore.GroupByCID(locs)
	if err != nil {
		return err
	}
	unlock, err := m.lock(ctx, false)
	if err != nil {
		return err
	}
	defer unlock()
	for _, g := range groups {
		m.locs[g.CID] = g.Apply(m.locs[g.CID])
	}
	return nil
}

// Locations returns a copy of c's locations, oldest first.
func (m *Memory) Locations(ctx context.Context, c cid.Cid) ([]catalog.Location, error) {
	unlock, err := m.lock(ctx, true)
	if err != nil {
		return nil, err
	}
	defer unlock()
	locs, ok := m.locs[c]
	if !ok {
		return nil, fmt.Errorf("%w: chunk %s", catalog.ErrNotFound, c)
	}
	return slices.Clone(locs), nil
}

// HasChunk reports whether c has a location or a blob.
func (m *Memory) HasChunk(ctx context.Context, c cid.Cid) (bool, error) {
	unlock, err := m.lock(ctx, true)
	if err != nil {
		return false, err
	}
	_, ok := m.locs[c]
	unlock()
	if ok {
		return true, nil
	}
	return m.blobs.Has(c)
}

// ReadChunk reads c through storecore.ReadChunk, as the Badger store does.
// Files are read without holding the lock.
func (m *Memory) ReadChunk(ctx context.Context, c cid.Cid) ([]byte, error) {
	locs, err := m.Locations(ctx, c)
	if err != nil && !errors.Is(err, catalog.ErrNotFound) {
		return nil, err
	}
	return storecore.ReadChunk(ctx, c, locs, m.blobs, func(l catalog.Location) error {
		return m.dropLocation(ctx, c, l)
	})
}

func (m *Memory) dropLocation(ctx context.Context, c cid.Cid, l catalog.Location) error {
	unlock, err := m.lock(ctx, false)
	if err != nil {
		return err
	}
	defer unlock()
	if rest := storecore.RemoveLocation(m.locs[c], l); len(rest) > 0 {
		m.locs[c] = rest
	} else {
		delete(m.locs, c)
	}
	return nil
}
