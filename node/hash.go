package node

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ipfs/go-cid"
	"golang.org/x/sync/errgroup"

	"github.com/swarm-project/swarm/catalog"
	"github.com/swarm-project/swarm/chunker"
	"github.com/swarm-project/swarm/chunker/manifest"
	"github.com/swarm-project/swarm/node/apitype"
)

// bigFileChunks: files with at least this many chunks are hashed one at a
// time on every core; smaller ones are hashed side by side, one core each.
const bigFileChunks = 16

// hasher names every chunk of the files of an add and records where each
// chunk lives.
type hasher struct {
	store     catalog.Store
	chunkSize int
	total     int64
	done      atomic.Int64
	report    func(apitype.Progress)
	start     time.Time
	lastMu    sync.Mutex
	last      time.Time

	locMu   sync.Mutex
	pending []catalog.ChunkLocation // recorded in batches: one synced write per locBatch
}

// locBatch locations are written to the index per transaction.
const locBatch = 8192

func (h *hasher) hashAll(ctx context.Context, m *manifest.Manifest, files []scanned) error {
	var small []int
	for i, f := range files {
		if f.entry.Kind != manifest.KindFile || f.entry.Size == 0 {
			continue
		}
		if chunker.ChunkCount(f.entry.Size, h.chunkSize) >= bigFileChunks {
			if err := h.hashFile(ctx, m, files, i, 0); err != nil {
				return err
			}
			continue
		}
		small = append(small, i)
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for _, i := range small {
		g.Go(func() error { return h.hashFile(gctx, m, files, i, 1) })
	}
	if err := g.Wait(); err != nil {
		return err
	}
	if err := h.flush(ctx, 0); err != nil {
		return err
	}
	h.progress(true)
	return nil
}

// record queues locations and writes them once locBatch are waiting.
func (h *hasher) record(ctx context.Context, locs []catalog.ChunkLocation) error {
	h.locMu.Lock()
	h.pending = append(h.pending, locs...)
	h.locMu.Unlock()
	return h.flush(ctx, locBatch)
}

// flush writes the queued locations if at least min are waiting.
func (h *hasher) flush(ctx context.Context, min int) error {
	h.locMu.Lock()
	defer h.locMu.Unlock()
	if len(h.pending) == 0 || len(h.pending) < min {
		return nil
	}
	if err := h.store.PutLocations(ctx, h.pending); err != nil {
		return fmt.Errorf("add: indexing: %w", err)
	}
	h.pending = h.pending[:0]
	return nil
}

// hashFile hashes files[i] and records its chunks in m.Entries[i] and its
// locations in the store. It fails if the file changes while it is read.
func (h *hasher) hashFile(ctx context.Context, m *manifest.Manifest, files []scanned, i, workers int) error {
	f := files[i]
	fh, err := os.Open(f.abs)
	if err != nil {
		return fmt.Errorf("add: %w", err)
	}
	defer fh.Close()
	chunks, err := chunker.HashReaderAt(ctx, fh, f.entry.Size, h.chunkSize, workers)
	if err != nil {
		return fmt.Errorf("add: hashing %s: %w", f.abs, err)
	}
	fi, err := fh.Stat()
	if err != nil {
		return fmt.Errorf("add: %w", err)
	}
	if fi.Size() != f.entry.Size || fi.ModTime().UnixNano() != f.modTime {
		return fmt.Errorf("add: %s changed while it was being added; try again", f.abs)
	}
	locs := make([]catalog.ChunkLocation, len(chunks))
	m.Entries[i].Chunks = make([]cid.Cid, len(chunks))
	for j, c := range chunks {
		m.Entries[i].Chunks[j] = c.CID
		locs[j] = catalog.ChunkLocation{CID: c.CID, Loc: catalog.Location{
			Kind: catalog.InPlace, Path: f.abs, Offset: c.Offset, Size: c.Size,
			FileSize: f.entry.Size, ModTime: f.modTime}}
	}
	if err := h.record(ctx, locs); err != nil {
		return err
	}
	h.done.Add(f.entry.Size)
	h.progress(false)
	return nil
}

func (h *hasher) progress(final bool) {
	if h.report == nil {
		return
	}
	h.lastMu.Lock()
	now := time.Now()
	if !final && now.Sub(h.last) < 250*time.Millisecond {
		h.lastMu.Unlock()
		return
	}
	h.last = now
	h.lastMu.Unlock()
	h.report(apitype.Progress{Bytes: h.done.Load(), Total: h.total, Seconds: now.Sub(h.start).Seconds()})
}
