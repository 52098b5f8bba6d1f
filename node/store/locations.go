package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"
	"github.com/ipfs/go-cid"
	"github.com/swarm-project/swarm/catalog"
	"github.com/swarm-project/swarm/node/store/storecore"
)

// PutLocations records a batch of locations. A batch that fits in one
// Badger transaction (about 2 MiB of keys and values, some 10,000
// locations with typical paths) is applied atomically; a larger one is
// applied in order in several transactions, each chunk's locations in one.
func (s *Store) PutLocations(ctx context.Context, locs []catalog.ChunkLocation) error {
	groups, err := storecore.GroupByCID(locs)
	if err != nil {
		return err
	}
	if err := s.acquire(ctx); err != nil {
		return err
	}
	defer s.mu.RUnlock()
	return s.updateItems(len(groups), func(txn *badger.Txn, i int) error {
		key := locationKey(groups[i].CID)
		have, err := getLocations(txn, key)
		if err != nil && !errors.Is(err, catalog.ErrNotFound) {
			return err
		}
		return txn.Set(key, encodeLocations(groups[i].Apply(have)))
	})
}

// Locations lists the locations of c, oldest first, or ErrNotFound.
func (s *Store) Locations(ctx context.Context, c cid.Cid) ([]catalog.Location, error) {
	if err := s.acquire(ctx); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	return s.locations(c)
}

func (s *Store) locations(c cid.Cid) (locs []catalog.Location, err error) {
	err = s.db.View(func(txn *badger.Txn) error {
		locs, err = getLocations(txn, locationKey(c))
		return err
	})
	if err != nil && !errors.Is(err, catalog.ErrNotFound) {
		err = fmt.Errorf("store: chunk %s: %w", c, err)
	}
	return locs, err
}

// getLocations reads and decodes a location list, or returns ErrNotFound.
func getLocations(txn *badger.Txn, key []byte) ([]catalog.Location, error) {
	item, err := txn.Get(key)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, catalog.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	var locs []catalog.Location
	err = item.Value(func(v []byte) error {
		locs, err = decodeLocations(v)
		return err
	})
	return locs, err
}

// HasChunk reports whether c has a recorded location or a blob.
func (s *Store) HasChunk(ctx context.Context, c cid.Cid) (bool, error) {
	if err := s.acquire(ctx); err != nil {
		return false, err
	}
	defer s.mu.RUnlock()
	err := s.db.View(func(txn *badger.Txn) error {
		_, err := txn.Get(locationKey(c))
		return err
	})
	if err == nil {
		return true, nil
	}
	if !errors.Is(err, badger.ErrKeyNotFound) {
		return false, fmt.Errorf("store: chunk %s: %w", c, err)
	}
	return s.blobs.Has(c)
}

// ReadChunk returns the verified bytes of c from one of its locations,
// dropping those found stale, else from the blob store.
func (s *Store) ReadChunk(ctx context.Context, c cid.Cid) ([]byte, error) {
	if err := s.acquire(ctx); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	locs, err := s.locations(c)
	if err != nil && !errors.Is(err, catalog.ErrNotFound) {
		return nil, err
	}
	return storecore.ReadChunk(ctx, c, locs, s.blobs, func(l catalog.Location) error {
		return s.dropLocation(c, l)
	})
}

// dropLocation removes one stale location of c (if it is still recorded).
// The first for a path is a warning that says what to do: the node no
// longer serves that part of the file.
func (s *Store) dropLocation(c cid.Cid, l catalog.Location) error {
	if l.Kind == catalog.InPlace && s.firstChange(l) {
		s.log.Warn("a file changed since it was added: the chunks that no longer match are not served; run `swarm add` on it again to serve its new content",
			"path", l.Path, "offset", l.Offset)
	}
	s.log.Debug("dropping stale chunk location", "cid", c, "path", l.Path, "offset", l.Offset)
	key := locationKey(c)
	return s.updateItems(1, func(txn *badger.Txn, _ int) error {
		have, err := getLocations(txn, key)
		if errors.Is(err, catalog.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		rest := storecore.RemoveLocation(have, l)
		switch {
		case len(rest) == len(have):
			return nil
		case len(rest) == 0:
			return txn.Delete(key)
		default:
			return txn.Set(key, encodeLocations(rest))
		}
	})
}

// firstChange reports whether l's file, as it was added, has not been
// reported changed yet: after `swarm add` again (a new size or mtime
// recorded), a later change is reported again.
func (s *Store) firstChange(l catalog.Location) bool {
	_, seen := s.warned.LoadOrStore(addedFile{l.Path, l.FileSize, l.ModTime}, struct{}{})
	return !seen
}

// addedFile is an in-place file as it was added.
type addedFile struct {
	path          string
	size, modTime int64
}
