package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/dgraph-io/badger/v4"
	"github.com/ipfs/go-cid"

	"github.com/swarm-project/swarm/node/store/storecore"
)

// PutEndpoints records urls as the HTTP(S) endpoints of root, replacing
// those recorded before; an empty list forgets them.
func (s *Store) PutEndpoints(ctx context.Context, root cid.Cid, urls []string) error {
	if err := storecore.ValidateEndpoints(root, urls); err != nil {
		return err
	}
	if err := s.acquire(ctx); err != nil {
		return err
	}
	defer s.mu.RUnlock()
	key := endpointsKey(root)
	return s.updateItems(1, func(txn *badger.Txn, _ int) error {
		if len(urls) == 0 {
			return txn.Delete(key)
		}
		return txn.Set(key, encodeEndpoints(urls))
	})
}

// Endpoints lists the endpoints recorded for root, in the order recorded
// (none: an empty list, not an error).
func (s *Store) Endpoints(ctx context.Context, root cid.Cid) ([]string, error) {
	if err := s.acquire(ctx); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	urls := []string{}
	err := s.db.View(func(txn *badger.Txn) error {
		item, err := txn.Get(endpointsKey(root))
		if err != nil {
			return err
		}
		return item.Value(func(v []byte) error {
			urls, err = decodeEndpoints(v)
			return err
		})
	})
	if err != nil && !errors.Is(err, badger.ErrKeyNotFound) {
		return nil, fmt.Errorf("store: endpoints of %s: %w", root, err)
	}
	return urls, nil
}

// encodeEndpoints: uvarint count, then per URL its uvarint length and bytes.
func encodeEndpoints(urls []string) []byte {
	b := binary.AppendUvarint(nil, uint64(len(urls)))
	for _, u := range urls {
		b = binary.AppendUvarint(b, uint64(len(u)))
		b = append(b, u...)
	}
	return b
}

// maxDecodedEndpoints bounds a decoded list, above storecore.MaxEndpoints so
// a future larger cap still decodes.
const maxDecodedEndpoints = 256

func decodeEndpoints(b []byte) ([]string, error) {
	d := decoder{b: b}
	n := d.uvarint(maxDecodedEndpoints)
	urls := make([]string, 0, n)
	for i := uint64(0); i < n && d.err == nil; i++ {
		urls = append(urls, string(d.bytes(math.MaxUint16)))
	}
	if err := d.end(); err != nil {
		return nil, fmt.Errorf("endpoint list: %w", err)
	}
	return urls, nil
}
