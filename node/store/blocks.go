package store

import (
	"context"

	"github.com/ipfs/go-cid"
)

// PutBlock verifies data against c and stores it in the blob store.
func (s *Store) PutBlock(ctx context.Context, c cid.Cid, data []byte) error {
	if err := s.acquire(ctx); err != nil {
		return err
	}
	defer s.mu.RUnlock()
	return s.blobs.Put(c, data)
}

// GetBlock returns the verified block c from the blob store, or
// ErrNotFound. A block corrupted on disk is removed and reported as an
// error wrapping chunker.ErrHashMismatch.
func (s *Store) GetBlock(ctx context.Context, c cid.Cid) ([]byte, error) {
	if err := s.acquire(ctx); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	return s.blobs.Get(c)
}
