package manifest

import (
	"testing"

	cid "github.com/ipfs/go-cid"
	"github.com/swarm-project/swarm/chunker"
)

// goldenManifest is the worked example of docs/spec/manifest-v1.md.
func goldenManifest() *Manifest {
	readme := []byte("hello, swarm\n")
	script := []byte("#!/bin/sh\necho hi\n")
	return &Manifest{
		Name:      "demo",
		Root:      KindDir,
		ChunkSize: chunker.DefaultChunkSize,
		Entries: []Entry{
			{Path: "README", Kind: KindFile, Mode: 0o644, Size: int64(len(readme)), Chunks: []cid.Cid{chunker.ChunkCID(readme)}},
			{Path: "bin", Kind: KindDir, Mode: 0o755},
			{Path: "bin/run.sh", Kind: KindFile, Mode: 0o755, Size: int64(len(script)), Chunks: []cid.Cid{chunker.ChunkCID(script)}},
			{Path: "empty", Kind: KindFile, Mode: 0o600},
		},
	}
}

// goldenRoot is the root CID of goldenManifest. If this test fails, the
// encoding changed: that is a new format version, not a bug fix.
const goldenRoot = "bagaybqabdyqg44nxg5zfwhcmj7iubaxjkks2qb6wy3koravudb2mou632ieneua"

func TestGoldenRootCID(t *testing.T) {
	root, blocks := roundTrip(t, goldenManifest(), defaultLayout)
	if root.String() != goldenRoot {
		t.Fatalf("root CID %s, want %s (root block %x)", root, goldenRoot, blocks[0].Data)
	}
	if len(blocks) != 1 {
		t.Fatalf("%d blocks, want 1 (inline)", len(blocks))
	}
}

func TestDeterministic(t *testing.T) {
	a, ablocks, err := Encode(goldenManifest())
	if err != nil {
		t.Fatal(err)
	}
	b, bblocks, err := Encode(goldenManifest())
	if err != nil || !a.Equals(b) || string(ablocks[0].Data) != string(bblocks[0].Data) {
		t.Fatalf("two encodings differ: %s %s %v", a, b, err)
	}
	m := goldenManifest()
	m.Entries[0].Mode = 0o600
	if c, _, _ := Encode(m); c.Equals(a) {
		t.Fatal("changing a mode did not change the root CID")
	}
	m = goldenManifest()
	m.Name = "demo2"
	if c, _, _ := Encode(m); c.Equals(a) {
		t.Fatal("changing the name did not change the root CID")
	}
}

func TestRoundTrip(t *testing.T) {
	tests := map[string]*Manifest{
		"small tree": dirManifest(cs, dir("a"), dir("a/b"), file("a/b/c", 2*cs+7, cs),
			file("a/b/d", 1, cs), file("a/x", cs, cs), dir("z"), file("zz", 0, cs)),
		"single file":     {Name: "big.iso", Root: KindFile, ChunkSize: cs, Entries: []Entry{file("big.iso", 100*cs-3, cs)}},
		"empty file root": {Name: "empty", Root: KindFile, ChunkSize: cs, Entries: []Entry{file("empty", 0, cs)}},
		"empty dir":       dirManifest(chunker.DefaultChunkSize),
		"dirs only":       dirManifest(cs, dir("a"), dir("a/b"), dir("a/b/c")),
		"sha256 chunk":    dirManifest(cs, Entry{Path: "f", Kind: KindFile, Size: 1, Chunks: []cid.Cid{sha256Chunk()}}),
		"unicode":         dirManifest(cs, dir("日本"), file("日本/語", 3, cs), file("日本語", 0, cs)),
	}
	for name, m := range tests {
		t.Run(name, func(t *testing.T) {
			_, blocks := roundTrip(t, m, defaultLayout)
			if len(blocks) != 1 {
				t.Fatalf("%d blocks, want 1", len(blocks))
			}
		})
	}
}

// TestRoundTripBigFile uses the real layout: a file of 40,000 chunks has a
// 1.36 MB chunk list, which cannot fit in one block.
func TestRoundTripBigFile(t *testing.T) {
	const n = 40000
	m := &Manifest{Name: "big", Root: KindFile, ChunkSize: cs, Entries: []Entry{file("big", n*cs, cs)}}
	_, blocks := roundTrip(t, m, defaultLayout)
	if len(blocks) != 3 { // root + 2 leaves
		t.Fatalf("%d blocks, want 3", len(blocks))
	}
	if len(blocks[1].Data) != MaxBlockSize {
		t.Fatalf("first leaf is %d bytes, want %d", len(blocks[1].Data), MaxBlockSize)
	}
}

// TestRoundTripIndexLevels needs index blocks, which with 1 MiB blocks only
// happens past 32 GB of stream, so it uses 1 KiB blocks (fanout 16).
func TestRoundTripIndexLevels(t *testing.T) {
	tests := []struct {
		chunks int64
		depth  int
	}{
		{1, 0}, {25, 0}, {35, 1}, {400, 1}, {500, 2}, {8000, 3},
	}
	for _, tt := range tests {
		m := dirManifest(cs, dir("d"), file("d/f", tt.chunks*cs, cs))
		_, blocks := roundTrip(t, m, smallLayout)
		h, _, err := parseRoot(blocks[0].Data)
		if err != nil || int(h.depth) != tt.depth {
			t.Errorf("%d chunks: depth %d, want %d (%v)", tt.chunks, h.depth, tt.depth, err)
		}
		want := 1
		if tt.depth > 0 {
			for _, c := range smallLayout.shape(int64(h.streamLen)) {
				want += int(c)
			}
		}
		if len(blocks) != want {
			t.Errorf("%d chunks: %d blocks, want %d", tt.chunks, len(blocks), want)
		}
	}
}

func TestManyEntriesAcrossLeaves(t *testing.T) {
	// Paths, varints and chunk CIDs straddle leaf boundaries in every way.
	entries := []Entry{}
	for i := range 300 {
		d := "dir" + itoa(uint64(i%7))
		if i < 7 {
			entries = append(entries, dir(d))
		}
		entries = append(entries, file(d+"/file-with-a-longer-name-"+itoa(uint64(i)), int64(i)*1000, cs))
	}
	Sort(entries)
	roundTrip(t, dirManifest(cs, entries...), smallLayout)
}
