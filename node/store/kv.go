package store

import (
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"
	"github.com/swarm-project/swarm/catalog"
)

// Helpers for the small keyed records (pins, bans): one key per name, the
// prefix byte followed by the name. The caller holds s.mu.

// scanNamed calls fn with the name and value of every key under prefix, in
// key order.
func (s *Store) scanNamed(prefix byte, fn func(name string, v []byte) error) error {
	return s.db.View(func(txn *badger.Txn) error {
		p := []byte{prefix}
		it := txn.NewIterator(badger.IteratorOptions{Prefix: p, PrefetchValues: true})
		defer it.Close()
		for it.Seek(p); it.ValidForPrefix(p); it.Next() {
			name := string(it.Item().Key()[1:])
			if err := it.Item().Value(func(v []byte) error { return fn(name, v) }); err != nil {
				return err
			}
		}
		return nil
	})
}

// putNamed sets key to v.
func (s *Store) putNamed(key, v []byte) error {
	return s.updateItems(1, func(txn *badger.Txn, _ int) error { return txn.Set(key, v) })
}

// deleteNamed deletes key, or returns an error wrapping catalog.ErrNotFound
// that names what.
func (s *Store) deleteNamed(key []byte, what string) error {
	err := s.updateItems(1, func(txn *badger.Txn, _ int) error {
		if _, err := txn.Get(key); err != nil {
			return err
		}
		return txn.Delete(key)
	})
	if errors.Is(err, badger.ErrKeyNotFound) {
		return fmt.Errorf("%w: %s", catalog.ErrNotFound, what)
	}
	return err
}
