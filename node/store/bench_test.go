package store_test

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"testing"

	"github.com/ipfs/go-cid"
	"github.com/swarm-project/swarm/catalog"
	"github.com/swarm-project/swarm/chunker"
)

// Benchmarks of the Badger store. Each reports its rate in ops/s; run with
//
//	go test -run x -bench . -benchtime 2s ./node/store/

const benchBatch = 1000

// benchLocations returns n chunk locations of a 1 MiB-chunked file, with
// distinct CIDs starting at index first.
func benchLocations(first, n int) []catalog.ChunkLocation {
	out := make([]catalog.ChunkLocation, n)
	for i := range out {
		c := chunker.ChunkCID(binary.BigEndian.AppendUint64(nil, uint64(first+i)))
		out[i] = catalog.ChunkLocation{CID: c, Loc: catalog.Location{
			Kind: catalog.InPlace, Path: "/data/datasets/genome-2024/sample-0042.fastq.gz",
			Offset: int64(first+i) << 20, Size: 1 << 20, FileSize: 1 << 50, ModTime: 1700000000e9,
		}}
	}
	return out
}

func reportRate(b *testing.B, ops int, unit string) {
	b.ReportMetric(float64(ops)/b.Elapsed().Seconds(), unit)
}

// One op is a batch of 1000 new locations (one durable commit).
func BenchmarkPutLocations(b *testing.B) {
	s := open(b, b.TempDir())
	n := 0
	for b.Loop() {
		if err := s.PutLocations(b.Context(), benchLocations(n, benchBatch)); err != nil {
			b.Fatal(err)
		}
		n += benchBatch
	}
	reportRate(b, n, "locations/s")
}

// One op is a Locations call for a random chunk among 100,000.
func BenchmarkLocations(b *testing.B) {
	const chunks = 100_000
	s := open(b, b.TempDir())
	cids := make([]cid.Cid, 0, chunks)
	for i := 0; i < chunks; i += benchBatch {
		batch := benchLocations(i, benchBatch)
		if err := s.PutLocations(b.Context(), batch); err != nil {
			b.Fatal(err)
		}
		for _, cl := range batch {
			cids = append(cids, cl.CID)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	n := 0
	for b.Loop() {
		if _, err := s.Locations(b.Context(), cids[r.IntN(chunks)]); err != nil {
			b.Fatal(err)
		}
		n++
	}
	reportRate(b, n, "gets/s")
}

// One op is a durable JournalAdd of one index: "serial" from one goroutine
// (one sync each), "parallel" from 16 goroutines per CPU, which the journal
// writer groups into shared commits.
func BenchmarkJournalAdd(b *testing.B) {
	b.Run("serial", func(b *testing.B) {
		s := open(b, b.TempDir())
		n := 0
		for b.Loop() {
			if err := s.JournalAdd(b.Context(), "dl", []uint64{uint64(n)}); err != nil {
				b.Fatal(err)
			}
			n++
		}
		reportRate(b, n, "adds/s")
	})
	b.Run("parallel", func(b *testing.B) {
		s := open(b, b.TempDir())
		var next atomic.Uint64
		b.SetParallelism(16)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				i := next.Add(1)
				if err := s.JournalAdd(b.Context(), fmt.Sprint("dl", i%4), []uint64{i}); err != nil {
					b.Error(err)
					return
				}
			}
		})
		reportRate(b, int(next.Load()), "adds/s")
	})
}
