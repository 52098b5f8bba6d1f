package chunker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
	"sync/atomic"

	cid "github.com/ipfs/go-cid"
)

// ErrShortRead reports that the source returned fewer bytes than its
// declared size (typically a file that shrank while being hashed). It is
// returned wrapped together with io.ErrUnexpectedEOF.
var ErrShortRead = errors.New("chunker: short read")

// Chunk is one fixed-size piece of content: its name, where it starts, and
// its length (chunkSize except for the last chunk).
type Chunk struct {
	CID    cid.Cid
	Offset int64
	Size   int
}

// HashReaderAt cuts the first size bytes of r into chunks of chunkSize bytes
// and names each with ChunkCID. Hashing runs on workers goroutines (all of
// them started and waited for here; workers <= 0 means GOMAXPROCS). Each
// worker owns one buffer, so memory is about workers*chunkSize. The chunks
// are returned in offset order.
//
// A read that returns fewer bytes than expected is an error wrapping
// ErrShortRead, never a short chunk. Cancelling ctx stops the work and
// returns the context's error.
func HashReaderAt(ctx context.Context, r io.ReaderAt, size int64, chunkSize, workers int) ([]Chunk, error) {
	if err := ValidateChunkSize(chunkSize); err != nil {
		return nil, err
	}
	if size < 0 {
		return nil, fmt.Errorf("chunker: negative size %d", size)
	}
	h := &hashJob{r: r, size: size, chunkSize: chunkSize}
	h.chunks = make([]Chunk, ChunkCount(size, chunkSize))
	if err := h.run(ctx, clampWorkers(workers, len(h.chunks))); err != nil {
		return nil, err
	}
	return h.chunks, nil
}

func clampWorkers(workers, chunks int) int {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	return max(1, min(workers, chunks))
}

// hashJob is one HashReaderAt call: workers claim chunk indexes from next and
// fill chunks[i]; each index is written by exactly one worker.
type hashJob struct {
	r         io.ReaderAt
	size      int64
	chunkSize int
	chunks    []Chunk
	next      atomic.Int64
}

func (h *hashJob) run(ctx context.Context, workers int) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			if err := h.hashWorker(ctx); err != nil {
				cancel(err)
			}
		})
	}
	wg.Wait()
	return context.Cause(ctx)
}

// hashWorker claims chunks until none are left or ctx is done.
func (h *hashJob) hashWorker(ctx context.Context) error {
	buf := make([]byte, min(int64(h.chunkSize), h.size))
	for ctx.Err() == nil {
		i := h.next.Add(1) - 1
		if i >= int64(len(h.chunks)) {
			return nil
		}
		off := i * int64(h.chunkSize)
		n := int(min(int64(h.chunkSize), h.size-off))
		if err := readFull(h.r, buf[:n], off); err != nil {
			return err
		}
		h.chunks[i] = Chunk{CID: ChunkCID(buf[:n]), Offset: off, Size: n}
	}
	return nil
}

// readFull fills p from r at off, turning any shortfall into an error.
func readFull(r io.ReaderAt, p []byte, off int64) error {
	n, err := r.ReadAt(p, off)
	if n == len(p) && (err == nil || errors.Is(err, io.EOF)) {
		return nil
	}
	if err == nil || errors.Is(err, io.EOF) {
		return fmt.Errorf("%w at offset %d: got %d of %d bytes: %w",
			ErrShortRead, off, n, len(p), io.ErrUnexpectedEOF)
	}
	return fmt.Errorf("chunker: read at offset %d: %w", off, err)
}
