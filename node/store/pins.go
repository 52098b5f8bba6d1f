package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"
	"github.com/swarm-project/swarm/catalog"
	"github.com/swarm-project/swarm/node/store/storecore"
)

// AddPin records p, replacing a pin of the same name.
func (s *Store) AddPin(ctx context.Context, p catalog.Pin) error {
	if err := storecore.ValidatePin(p); err != nil {
		return err
	}
	if err := s.acquire(ctx); err != nil {
		return err
	}
	defer s.mu.RUnlock()
	return s.updateItems(1, func(txn *badger.Txn, _ int) error {
		return txn.Set(pinKey(p.Name), encodePin(p))
	})
}

// RemovePin deletes the pin called name, or returns ErrNotFound.
func (s *Store) RemovePin(ctx context.Context, name string) error {
	if err := s.acquire(ctx); err != nil {
		return err
	}
	defer s.mu.RUnlock()
	err := s.updateItems(1, func(txn *badger.Txn, _ int) error {
		if _, err := txn.Get(pinKey(name)); err != nil {
			return err
		}
		return txn.Delete(pinKey(name))
	})
	if errors.Is(err, badger.ErrKeyNotFound) {
		return fmt.Errorf("%w: pin %q", catalog.ErrNotFound, name)
	}
	return err
}

// Pins lists the pins sorted by name (byte order).
func (s *Store) Pins(ctx context.Context) ([]catalog.Pin, error) {
	if err := s.acquire(ctx); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	var pins []catalog.Pin
	err := s.db.View(func(txn *badger.Txn) error {
		prefix := []byte{prefixPin}
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, PrefetchValues: true})
		defer it.Close()
		for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
			name := string(it.Item().Key()[1:])
			err := it.Item().Value(func(v []byte) error {
				p, err := decodePin(name, v)
				pins = append(pins, p)
				return err
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: listing pins: %w", err)
	}
	return pins, nil
}
