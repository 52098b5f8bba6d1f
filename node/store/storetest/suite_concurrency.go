package storetest

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/swarm-project/swarm/catalog"
	"github.com/swarm-project/swarm/chunker"
)

// Workers use every method at once; run under -race. Each worker adds its
// own file and shares one journal and the pin namespace with the others.
func testConcurrent(t *testing.T, s catalog.Store) {
	const workers, perWorker = 8, 25
	dir := t.TempDir()
	files := make([][]catalog.ChunkLocation, workers)
	for w := range workers {
		files[w], _ = chunkFile(t, dir, fmt.Sprint("f", w), 4*testChunk, uint64(40+w))
	}
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			if err := concurrentWorker(t, s, w, perWorker, files[w]); err != nil {
				errs <- fmt.Errorf("worker %d: %w", w, err)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	var want []uint64
	for i := range workers * perWorker {
		want = append(want, uint64(i))
	}
	wantJournal(t, s, "shared", want)
	pins, err := s.Pins(t.Context())
	if err != nil || len(pins) != workers {
		t.Fatalf("Pins = %d pins, %v; want %d", len(pins), err, workers)
	}
	wantStats(t, s, catalog.Stats{Chunks: workers * 4, Blobs: workers, BlobBytes: workers * 5, Pins: workers, Journals: 1})
}

func concurrentWorker(t *testing.T, s catalog.Store, w, n int, locs []catalog.ChunkLocation) error {
	ctx := t.Context()
	if err := s.PutLocations(ctx, locs); err != nil {
		return err
	}
	block := fmt.Appendf(nil, "blk%02d", w)
	if err := s.PutBlock(ctx, chunker.ChunkCID(block), block); err != nil {
		return err
	}
	for i := range n {
		if err := s.JournalAdd(ctx, "shared", []uint64{uint64(w*n + i)}); err != nil {
			return err
		}
		cl := locs[i%len(locs)]
		if _, err := s.ReadChunk(ctx, cl.CID); err != nil {
			return err
		}
		if err := s.AddPin(ctx, catalog.Pin{Name: fmt.Sprint("pin", w), Root: cl.CID}); err != nil {
			return err
		}
		if _, err := s.Stats(ctx); err != nil {
			return err
		}
	}
	return nil
}

// Many readers find the same location stale at once: each gets ErrStale or,
// once another reader has dropped it, ErrNotFound; the index ends empty.
func testConcurrentStale(t *testing.T, s catalog.Store) {
	locs, _ := chunkFile(t, t.TempDir(), "f", testChunk, 50)
	mustPut(t, s, locs...)
	rewriteSameSize(t, locs[0].Loc.Path, 0)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() { _, errs[i] = s.ReadChunk(t.Context(), locs[0].CID) })
	}
	wg.Wait()
	if !slices.ContainsFunc(errs, func(err error) bool { return errors.Is(err, catalog.ErrStale) }) {
		t.Errorf("no reader saw ErrStale: %v", errs)
	}
	for _, err := range errs {
		if !errors.Is(err, catalog.ErrStale) && !errors.Is(err, catalog.ErrNotFound) {
			t.Errorf("ReadChunk = %v, want ErrStale or ErrNotFound", err)
		}
	}
	wantLocations(t, s, locs[0].CID, nil)
}
