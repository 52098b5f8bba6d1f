package store

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/dgraph-io/badger/v4"
	"github.com/swarm-project/swarm/node/store/storecore"
)

// JournalAdd marks chunk indexes of a download as verified. It returns once
// they are durable on disk; adding an index twice is harmless.
func (s *Store) JournalAdd(ctx context.Context, downloadID string, idx []uint64) error {
	if err := storecore.ValidateDownloadID(downloadID); err != nil {
		return err
	}
	if err := s.acquire(ctx); err != nil {
		return err
	}
	defer s.mu.RUnlock()
	if len(idx) == 0 {
		return nil
	}
	r := &journalReq{id: downloadID, idx: idx, done: make(chan error, 1)}
	select {
	case s.journal.reqs <- r:
	case <-ctx.Done():
		return ctx.Err()
	}
	// Once handed over, wait even if ctx ends: the writer reads idx, and the
	// commit takes one sync.
	return <-r.done
}

// writeJournal applies a batch of JournalAdd requests in as few
// transactions as fit (one, unless the batch is huge).
func (s *Store) writeJournal(batch []*journalReq) error {
	pages := make(map[pageRef][]byte)
	for _, r := range batch {
		addToPages(pages, r.id, r.idx)
	}
	refs := slices.Collect(maps.Keys(pages))
	return s.updateItems(len(refs), func(txn *badger.Txn, i int) error {
		key := journalKey(refs[i].id, refs[i].page)
		add := pages[refs[i]]
		item, err := txn.Get(key)
		if errors.Is(err, badger.ErrKeyNotFound) {
			return txn.Set(key, add)
		}
		if err != nil {
			return err
		}
		page, err := item.ValueCopy(nil)
		if err != nil {
			return err
		}
		if len(page) != pageBytes {
			return fmt.Errorf("%w: journal page of %d bytes", ErrCorrupt, len(page))
		}
		if !orInto(page, add) {
			return nil // nothing new: no write
		}
		return txn.Set(key, page)
	})
}

// JournalLoad returns the sorted indexes journaled for a download (empty if
// there is no journal).
func (s *Store) JournalLoad(ctx context.Context, downloadID string) ([]uint64, error) {
	if err := storecore.ValidateDownloadID(downloadID); err != nil {
		return nil, err
	}
	if err := s.acquire(ctx); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	out := []uint64{}
	prefix := journalPrefix(downloadID)
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, PrefetchValues: true, PrefetchSize: 16})
		defer it.Close()
		for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
			if err := ctx.Err(); err != nil {
				return err
			}
			page := journalPage(it.Item().Key())
			err := it.Item().Value(func(v []byte) error {
				out = appendIndexes(out, page, v)
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: loading journal %q: %w", downloadID, err)
	}
	return out, nil
}

// journalDeleteBatch is how many pages one transaction of JournalDelete
// removes.
const journalDeleteBatch = 1000

// JournalDelete forgets a download's journal. Deleting a journal that does
// not exist is not an error.
func (s *Store) JournalDelete(ctx context.Context, downloadID string) error {
	if err := storecore.ValidateDownloadID(downloadID); err != nil {
		return err
	}
	if err := s.acquire(ctx); err != nil {
		return err
	}
	defer s.mu.RUnlock()
	prefix := journalPrefix(downloadID)
	for deleted := journalDeleteBatch; deleted == journalDeleteBatch; {
		err := s.updateItems(1, func(txn *badger.Txn, _ int) error {
			keys := keysWithPrefix(txn, prefix, journalDeleteBatch)
			deleted = len(keys)
			for _, k := range keys {
				if err := txn.Delete(k); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// keysWithPrefix returns up to limit keys starting with prefix.
func keysWithPrefix(txn *badger.Txn, prefix []byte, limit int) [][]byte {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
	defer it.Close()
	var keys [][]byte
	for it.Seek(prefix); it.ValidForPrefix(prefix) && len(keys) < limit; it.Next() {
		keys = append(keys, it.Item().KeyCopy(nil))
	}
	return keys
}
