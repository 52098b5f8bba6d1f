package manifest

import (
	"context"
	"fmt"
	"testing"

	cid "github.com/ipfs/go-cid"
	"github.com/swarm-project/swarm/chunker"
)

// benchTree is 100 directories of 1,000 one-chunk files.
func benchTree() *Manifest {
	m := dirManifest(chunker.DefaultChunkSize)
	for d := range 100 {
		dp := fmt.Sprintf("dir%03d", d)
		m.Entries = append(m.Entries, dir(dp))
		for f := range 1000 {
			p := fmt.Sprintf("%s/file%04d.dat", dp, f)
			m.Entries = append(m.Entries, Entry{Path: p, Kind: KindFile, Mode: 0o644, Size: 4096,
				Chunks: []cid.Cid{chunker.ChunkCID([]byte(p))}})
		}
	}
	return m
}

func BenchmarkEncode100kFiles(b *testing.B) {
	m := benchTree()
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Encode(m); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(m.Entries)), "ns/entry")
}

func BenchmarkDecode100kFiles(b *testing.B) {
	m := benchTree()
	root, blocks, err := Encode(m)
	if err != nil {
		b.Fatal(err)
	}
	get := storeOf(blocks).get
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(context.Background(), root, get); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(m.Entries)), "ns/entry")
}
