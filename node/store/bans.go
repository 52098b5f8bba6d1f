package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"
	"github.com/swarm-project/swarm/catalog"
	"github.com/swarm-project/swarm/node/store/storecore"
)

// PutBan records b, replacing an earlier ban of the same peer.
func (s *Store) PutBan(ctx context.Context, b catalog.Ban) error {
	if err := storecore.ValidateBan(b); err != nil {
		return err
	}
	if err := s.acquire(ctx); err != nil {
		return err
	}
	defer s.mu.RUnlock()
	return s.putNamed(banKey(b.Peer), encodeBan(b))
}

// GetBan returns the ban of peer, or ErrNotFound.
func (s *Store) GetBan(ctx context.Context, peer string) (catalog.Ban, error) {
	if err := s.acquire(ctx); err != nil {
		return catalog.Ban{}, err
	}
	defer s.mu.RUnlock()
	var b catalog.Ban
	err := s.db.View(func(txn *badger.Txn) error {
		item, err := txn.Get(banKey(peer))
		if err != nil {
			return err
		}
		return item.Value(func(v []byte) error {
			b, err = decodeBan(peer, v)
			return err
		})
	})
	if errors.Is(err, badger.ErrKeyNotFound) {
		return b, fmt.Errorf("%w: ban of %q", catalog.ErrNotFound, peer)
	}
	return b, err
}

// RemoveBan forgets peer's ban, or returns ErrNotFound.
func (s *Store) RemoveBan(ctx context.Context, peer string) error {
	if err := s.acquire(ctx); err != nil {
		return err
	}
	defer s.mu.RUnlock()
	return s.deleteNamed(banKey(peer), fmt.Sprintf("ban of %q", peer))
}

// Bans lists every ban sorted by peer (byte order).
func (s *Store) Bans(ctx context.Context) ([]catalog.Ban, error) {
	if err := s.acquire(ctx); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	var bans []catalog.Ban
	err := s.scanNamed(prefixBan, func(peer string, v []byte) error {
		b, err := decodeBan(peer, v)
		bans = append(bans, b)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: listing bans: %w", err)
	}
	return bans, nil
}
