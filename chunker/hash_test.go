package chunker

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
)

func randomBytes(n int, seed uint64) []byte {
	r := rand.NewChaCha8([32]byte{byte(seed), byte(seed >> 8)})
	b := make([]byte, n)
	_, _ = r.Read(b)
	return b
}

// sequentialChunks is the reference: cut and hash one chunk at a time.
func sequentialChunks(data []byte, chunkSize int) []Chunk {
	out := []Chunk{}
	for off := 0; off < len(data); off += chunkSize {
		end := min(off+chunkSize, len(data))
		out = append(out, Chunk{CID: ChunkCID(data[off:end]), Offset: int64(off), Size: end - off})
	}
	return out
}

func TestHashReaderAtMatchesSequential(t *testing.T) {
	const cs = MinChunkSize
	sizes := []int{0, 1, cs - 1, cs, cs + 1, 2 * cs, 37*cs + 123}
	for _, size := range sizes {
		data := randomBytes(size, uint64(size))
		want := sequentialChunks(data, cs)
		for _, workers := range []int{1, 4, 0} {
			got, err := HashReaderAt(context.Background(), bytes.NewReader(data), int64(size), cs, workers)
			if err != nil {
				t.Fatalf("size %d workers %d: %v", size, workers, err)
			}
			if len(got) != len(want) || int64(len(got)) != ChunkCount(int64(size), cs) {
				t.Fatalf("size %d workers %d: %d chunks, want %d", size, workers, len(got), len(want))
			}
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("size %d workers %d chunk %d: %+v, want %+v", size, workers, i, got[i], want[i])
				}
			}
		}
	}
}

func TestHashReaderAtSizeShorterThanReader(t *testing.T) {
	data := randomBytes(3*MinChunkSize, 1)
	got, err := HashReaderAt(context.Background(), bytes.NewReader(data), MinChunkSize+5, MinChunkSize, 2)
	if err != nil {
		t.Fatal(err)
	}
	want := sequentialChunks(data[:MinChunkSize+5], MinChunkSize)
	if len(got) != 2 || got[1] != want[1] {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}

func TestHashReaderAtShortRead(t *testing.T) {
	data := randomBytes(3*MinChunkSize-10, 2) // the file "shrank" by 10 bytes
	for _, workers := range []int{1, 4} {
		_, err := HashReaderAt(context.Background(), bytes.NewReader(data), 3*MinChunkSize, MinChunkSize, workers)
		if !errors.Is(err, ErrShortRead) || !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("workers %d: err = %v, want ErrShortRead", workers, err)
		}
	}
}

type failingReader struct{ err error }

func (f failingReader) ReadAt(p []byte, off int64) (int, error) { return 0, f.err }

func TestHashReaderAtReadError(t *testing.T) {
	boom := errors.New("disk on fire")
	_, err := HashReaderAt(context.Background(), failingReader{boom}, 5*MinChunkSize, MinChunkSize, 3)
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want %v", err, boom)
	}
}

func TestHashReaderAtBadArguments(t *testing.T) {
	r := bytes.NewReader(nil)
	if _, err := HashReaderAt(context.Background(), r, 10, 1000, 1); !errors.Is(err, ErrChunkSize) {
		t.Errorf("bad chunk size: %v", err)
	}
	if _, err := HashReaderAt(context.Background(), r, -1, MinChunkSize, 1); err == nil {
		t.Error("negative size accepted")
	}
}

// cancellingReader cancels the context on its first read, so whatever the
// workers do next they must notice the cancellation.
type cancellingReader struct {
	r      io.ReaderAt
	cancel context.CancelFunc
	reads  chan struct{}
}

func (c *cancellingReader) ReadAt(p []byte, off int64) (int, error) {
	c.cancel()
	select {
	case c.reads <- struct{}{}:
	default:
	}
	return c.r.ReadAt(p, off)
}

func TestHashReaderAtCancel(t *testing.T) {
	const chunks = 64
	data := make([]byte, chunks*MinChunkSize)
	for _, workers := range []int{1, 4} {
		ctx, cancel := context.WithCancel(context.Background())
		r := &cancellingReader{r: bytes.NewReader(data), cancel: cancel, reads: make(chan struct{}, chunks)}
		_, err := HashReaderAt(ctx, r, int64(len(data)), MinChunkSize, workers)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("workers %d: err = %v, want context.Canceled", workers, err)
		}
		if n := len(r.reads); n > workers {
			t.Errorf("workers %d: %d reads after cancellation, want at most one per worker", workers, n)
		}
	}
}

func TestHashReaderAtAlreadyCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := HashReaderAt(ctx, bytes.NewReader(nil), 0, MinChunkSize, 1); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}
