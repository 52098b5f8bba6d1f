package storetest

import (
	"context"
	"maps"
	"slices"

	"github.com/swarm-project/swarm/node/store/storecore"
)

// JournalAdd adds indexes to a download's journal.
func (m *Memory) JournalAdd(ctx context.Context, downloadID string, idx []uint64) error {
	if err := storecore.ValidateDownloadID(downloadID); err != nil {
		return err
	}
	unlock, err := m.lock(ctx, false)
	if err != nil {
		return err
	}
	defer unlock()
	if len(idx) == 0 {
		return nil
	}
	j := m.journals[downloadID]
	if j == nil {
		j = make(map[uint64]struct{}, len(idx))
		m.journals[downloadID] = j
	}
	for _, x := range idx {
		j[x] = struct{}{}
	}
	return nil
}

// JournalLoad returns a download's indexes, sorted.
func (m *Memory) JournalLoad(ctx context.Context, downloadID string) ([]uint64, error) {
	if err := storecore.ValidateDownloadID(downloadID); err != nil {
		return nil, err
	}
	unlock, err := m.lock(ctx, true)
	if err != nil {
		return nil, err
	}
	defer unlock()
	j := m.journals[downloadID]
	out := slices.AppendSeq(make([]uint64, 0, len(j)), maps.Keys(j))
	slices.Sort(out)
	return out, nil
}

// JournalDelete forgets a download's journal.
func (m *Memory) JournalDelete(ctx context.Context, downloadID string) error {
	if err := storecore.ValidateDownloadID(downloadID); err != nil {
		return err
	}
	unlock, err := m.lock(ctx, false)
	if err != nil {
		return err
	}
	defer unlock()
	delete(m.journals, downloadID)
	return nil
}
