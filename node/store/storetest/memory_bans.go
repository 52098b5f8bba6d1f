package storetest

import (
	"context"
	"fmt"

	"github.com/swarm-project/swarm/catalog"
	"github.com/swarm-project/swarm/node/store/storecore"
)

// PutBan records or replaces a ban.
func (m *Memory) PutBan(ctx context.Context, b catalog.Ban) error {
	if err := storecore.ValidateBan(b); err != nil {
		return err
	}
	unlock, err := m.lock(ctx, false)
	if err != nil {
		return err
	}
	defer unlock()
	m.bans[b.Peer] = storecore.NormalizeBan(b)
	return nil
}

// GetBan returns a peer's ban, or ErrNotFound.
func (m *Memory) GetBan(ctx context.Context, peer string) (catalog.Ban, error) {
	unlock, err := m.lock(ctx, true)
	if err != nil {
		return catalog.Ban{}, err
	}
	defer unlock()
	b, ok := m.bans[peer]
	if !ok {
		return b, fmt.Errorf("%w: ban of %q", catalog.ErrNotFound, peer)
	}
	return b, nil
}

// RemoveBan forgets a peer's ban, or returns ErrNotFound.
func (m *Memory) RemoveBan(ctx context.Context, peer string) error {
	unlock, err := m.lock(ctx, false)
	if err != nil {
		return err
	}
	defer unlock()
	return removeNamed(m.bans, peer, fmt.Sprintf("ban of %q", peer))
}

// Bans lists bans sorted by peer.
func (m *Memory) Bans(ctx context.Context) ([]catalog.Ban, error) {
	unlock, err := m.lock(ctx, true)
	if err != nil {
		return nil, err
	}
	defer unlock()
	return byName(m.bans), nil
}
