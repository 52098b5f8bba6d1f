package node

import (
	"context"
	"errors"
	"fmt"

	"github.com/ipfs/go-cid"

	"github.com/swarm-project/swarm/catalog"
	"github.com/swarm-project/swarm/swarm/fetch"
)

// localSource serves chunks this node already has (added in place, or
// fetched before), so a get never pulls over the network what is on disk.
type localSource struct{ store catalog.Store }

func (l *localSource) Name() string { return "local" }

func (l *localSource) Fetch(ctx context.Context, c cid.Cid) ([]byte, error) {
	b, err := l.store.ReadChunk(ctx, c)
	if errors.Is(err, catalog.ErrNotFound) || errors.Is(err, catalog.ErrStale) {
		return nil, fmt.Errorf("%s: %w", c, fetch.ErrNotHave)
	}
	return b, err
}

// journal adapts the store's download journals to fetch.Journal.
type journal struct {
	store catalog.Store
	id    string
}

func (j *journal) Load(ctx context.Context) ([]uint64, error) { return j.store.JournalLoad(ctx, j.id) }
func (j *journal) Add(ctx context.Context, idx []uint64) error {
	return j.store.JournalAdd(ctx, j.id, idx)
}
func (j *journal) Reset(ctx context.Context) error { return j.store.JournalDelete(ctx, j.id) }
