package chunker

import (
	"bytes"
	"context"
	"runtime"
	"strconv"
	"sync"
	"testing"

	"github.com/zeebo/blake3"
)

const benchSize = 256 << 20

var benchData = sync.OnceValue(func() []byte { return randomBytes(benchSize, 42) })

func benchWorkers() []int {
	if n := runtime.GOMAXPROCS(0); n > 1 {
		return []int{1, n}
	}
	return []int{1}
}

// BenchmarkHashReaderAt measures HashReaderAt over 256 MiB in memory with
// 1 MiB chunks, on one worker and on GOMAXPROCS workers.
func BenchmarkHashReaderAt(b *testing.B) {
	data := benchData()
	for _, w := range benchWorkers() {
		b.Run("workers="+strconv.Itoa(w), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := HashReaderAt(context.Background(), bytes.NewReader(data), int64(len(data)), DefaultChunkSize, w); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRawBLAKE3 is the ceiling for BenchmarkHashReaderAt: the same
// 1 MiB chunks hashed with blake3.Sum256 straight from memory, with no
// copying, CIDs or scheduling, split evenly over the goroutines.
func BenchmarkRawBLAKE3(b *testing.B) {
	data := benchData()
	for _, w := range benchWorkers() {
		b.Run("workers="+strconv.Itoa(w), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				rawBLAKE3(data, DefaultChunkSize, w)
			}
		})
	}
}

func rawBLAKE3(data []byte, chunkSize, workers int) {
	n := len(data) / chunkSize
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				_ = blake3.Sum256(data[i*chunkSize : (i+1)*chunkSize])
			}
		})
	}
	wg.Wait()
}

func BenchmarkChunkCID(b *testing.B) {
	data := benchData()[:DefaultChunkSize]
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		_ = ChunkCID(data)
	}
}

func BenchmarkVerify(b *testing.B) {
	data := benchData()[:DefaultChunkSize]
	c := ChunkCID(data)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if err := Verify(c, data); err != nil {
			b.Fatal(err)
		}
	}
}
