package store

import (
	"context"
	"encoding/binary"
	"fmt"

	"github.com/dgraph-io/badger/v4"
	"github.com/swarm-project/swarm/catalog"
)

// Stats counts the index's chunks, pins and journals by walking their keys
// (without reading values), and asks the blob store for its totals. The
// walk takes time proportional to the number of chunks indexed: about a
// second per few million.
func (s *Store) Stats(ctx context.Context) (catalog.Stats, error) {
	if err := s.acquire(ctx); err != nil {
		return catalog.Stats{}, err
	}
	defer s.mu.RUnlock()
	var st catalog.Stats
	err := s.db.View(func(txn *badger.Txn) error {
		var err error
		if st.Chunks, err = countPrefix(ctx, txn, prefixLocation); err != nil {
			return err
		}
		if st.Pins, err = countPrefix(ctx, txn, prefixPin); err != nil {
			return err
		}
		st.Journals, err = countJournals(ctx, txn)
		return err
	})
	if err != nil {
		return st, fmt.Errorf("store: stats: %w", err)
	}
	st.Blobs, st.BlobBytes, err = s.blobs.Stats()
	return st, err
}

// ctxCheckEvery is how many keys a walk visits between context checks.
const ctxCheckEvery = 4096

func countPrefix(ctx context.Context, txn *badger.Txn, prefix byte) (int64, error) {
	p := []byte{prefix}
	it := txn.NewIterator(badger.IteratorOptions{Prefix: p})
	defer it.Close()
	var n int64
	for it.Seek(p); it.ValidForPrefix(p); it.Next() {
		if n++; n%ctxCheckEvery == 0 && ctx.Err() != nil {
			return 0, ctx.Err()
		}
	}
	return n, nil
}

// countJournals counts downloads with a journal, seeking past each one's
// pages instead of visiting them.
func countJournals(ctx context.Context, txn *badger.Txn) (int64, error) {
	p := []byte{prefixJournal}
	it := txn.NewIterator(badger.IteratorOptions{Prefix: p})
	defer it.Close()
	var n int64
	for it.Seek(p); it.ValidForPrefix(p); n++ {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		key := it.Item().Key()
		idLen, w := binary.Uvarint(key[1:])
		if w <= 0 || idLen > uint64(len(key)) || 1+w+int(idLen) > len(key) {
			return 0, fmt.Errorf("%w: journal key %x", ErrCorrupt, key)
		}
		it.Seek(afterJournal(key[:1+w+int(idLen)]))
	}
	return n, nil
}
