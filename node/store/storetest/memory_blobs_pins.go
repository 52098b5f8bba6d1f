package storetest

import (
	"context"
	"fmt"

	"github.com/ipfs/go-cid"
	"github.com/swarm-project/swarm/catalog"
	"github.com/swarm-project/swarm/node/store/storecore"
)

// PutBlock verifies and stores a block in the blob directory.
func (m *Memory) PutBlock(ctx context.Context, c cid.Cid, data []byte) error {
	unlock, err := m.lock(ctx, true)
	if err != nil {
		return err
	}
	defer unlock()
	return m.blobs.Put(c, data)
}

// GetBlock returns a verified block from the blob directory.
func (m *Memory) GetBlock(ctx context.Context, c cid.Cid) ([]byte, error) {
	unlock, err := m.lock(ctx, true)
	if err != nil {
		return nil, err
	}
	defer unlock()
	return m.blobs.Get(c)
}

// AddPin records or replaces a pin.
func (m *Memory) AddPin(ctx context.Context, p catalog.Pin) error {
	if err := storecore.ValidatePin(p); err != nil {
		return err
	}
	unlock, err := m.lock(ctx, false)
	if err != nil {
		return err
	}
	defer unlock()
	m.pins[p.Name] = storecore.NormalizePin(p)
	return nil
}

// RemovePin deletes a pin, or returns ErrNotFound.
func (m *Memory) RemovePin(ctx context.Context, name string) error {
	unlock, err := m.lock(ctx, false)
	if err != nil {
		return err
	}
	defer unlock()
	return removeNamed(m.pins, name, fmt.Sprintf("pin %q", name))
}

// Pins lists pins sorted by name.
func (m *Memory) Pins(ctx context.Context) ([]catalog.Pin, error) {
	unlock, err := m.lock(ctx, true)
	if err != nil {
		return nil, err
	}
	defer unlock()
	return byName(m.pins), nil
}
