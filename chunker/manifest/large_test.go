package manifest

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	cid "github.com/ipfs/go-cid"
	"github.com/swarm-project/swarm/chunker"
)

// millionFiles is a tree of 1,000 directories of 1,000 one-chunk files.
func millionFiles() *Manifest {
	const dirs, perDir = 1000, 1000
	m := dirManifest(chunker.DefaultChunkSize)
	m.Entries = make([]Entry, 0, dirs*(perDir+1))
	for d := range dirs {
		dp := fmt.Sprintf("dir%04d", d)
		m.Entries = append(m.Entries, dir(dp))
		for f := range perDir {
			p := fmt.Sprintf("%s/file%04d.dat", dp, f)
			m.Entries = append(m.Entries, Entry{Path: p, Kind: KindFile, Mode: 0o644, Size: int64(1000 + f),
				Chunks: []cid.Cid{chunker.ChunkCID([]byte(p))}})
		}
	}
	return m
}

func TestMillionFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and decodes a 1,000,000-file manifest")
	}
	m := millionFiles()
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)

	start := time.Now()
	root, blocks, err := Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	encoded := time.Since(start)
	checkBlocks(t, root, blocks, defaultLayout)
	var streamBytes int
	for _, b := range blocks {
		streamBytes += len(b.Data)
	}

	start = time.Now()
	got, err := Decode(context.Background(), root, storeOf(blocks).get)
	if err != nil {
		t.Fatal(err)
	}
	decoded := time.Since(start)
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if !equalManifests(got, m) {
		t.Fatal("decoded manifest differs")
	}
	t.Logf("%d entries: %d blocks, %d bytes; encode %v, decode %v; allocated %d MiB, heap now %d MiB",
		len(m.Entries), len(blocks), streamBytes, encoded, decoded,
		(after.TotalAlloc-before.TotalAlloc)>>20, after.HeapAlloc>>20)
}

// TestBigFileMillionsOfChunks checks a single file of 2,000,000 chunks (2 TiB
// at 1 MiB chunks): its 68 MB chunk list spans 65 leaves.
func TestBigFileMillionsOfChunks(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and decodes a 2,000,000-chunk manifest")
	}
	const n = 2_000_000
	chunks := make([]cid.Cid, n)
	distinct := fakeChunks(1000, "big")
	for i := range chunks {
		chunks[i] = distinct[i%len(distinct)]
	}
	m := &Manifest{Name: "big.img", Root: KindFile, ChunkSize: chunker.DefaultChunkSize,
		Entries: []Entry{{Path: "big.img", Kind: KindFile, Mode: 0o644, Size: n*chunker.DefaultChunkSize - 1, Chunks: chunks}}}
	start := time.Now()
	root, blocks, err := Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(context.Background(), root, storeOf(blocks).get)
	if err != nil {
		t.Fatal(err)
	}
	if !equalManifests(got, m) {
		t.Fatal("decoded manifest differs")
	}
	t.Logf("%d chunks: %d blocks; encode+decode %v", n, len(blocks), time.Since(start))
}
