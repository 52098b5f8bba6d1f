package storetest

import (
	"context"
	"slices"

	"github.com/ipfs/go-cid"

	"github.com/swarm-project/swarm/node/store/storecore"
)

// PutEndpoints records (or, with none, forgets) a root's endpoints.
func (m *Memory) PutEndpoints(ctx context.Context, root cid.Cid, urls []string) error {
	if err := storecore.ValidateEndpoints(root, urls); err != nil {
		return err
	}
	unlock, err := m.lock(ctx, false)
	if err != nil {
		return err
	}
	defer unlock()
	if len(urls) == 0 {
		delete(m.endpoints, root)
		return nil
	}
	m.endpoints[root] = slices.Clone(urls)
	return nil
}

// Endpoints lists a root's endpoints in the order recorded.
func (m *Memory) Endpoints(ctx context.Context, root cid.Cid) ([]string, error) {
	unlock, err := m.lock(ctx, true)
	if err != nil {
		return nil, err
	}
	defer unlock()
	return append([]string{}, m.endpoints[root]...), nil
}
