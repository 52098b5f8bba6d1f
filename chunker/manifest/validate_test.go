package manifest

import (
	"strings"
	"testing"

	cid "github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"
	"github.com/swarm-project/swarm/chunker"
)

const cs = chunker.MinChunkSize

func TestValidate(t *testing.T) {
	good := func() *Manifest {
		return dirManifest(cs, dir("a"), file("a/f", 3*cs+1, cs), dir("a/sub"), file("b", 0, cs))
	}
	sha, _ := mh.Sum([]byte("x"), mh.SHA2_256, -1)
	sha512, _ := mh.Sum([]byte("x"), mh.SHA2_512, -1)
	tests := []struct {
		name   string
		mutate func(m *Manifest)
	}{
		{"traversal", func(m *Manifest) { m.Entries = []Entry{file("../x", 1, cs)} }},
		{"absolute", func(m *Manifest) { m.Entries = []Entry{dir("/etc"), file("/etc/passwd", 1, cs)} }},
		{"dotdot inside", func(m *Manifest) { m.Entries = []Entry{dir("a"), file("a/../../b", 1, cs)} }},
		{"NUL", func(m *Manifest) { m.Entries = []Entry{file("a\x00b", 1, cs)} }},
		{"duplicate", func(m *Manifest) { m.Entries = []Entry{file("a", 1, cs), file("a", 1, cs)} }},
		{"duplicate dir and file", func(m *Manifest) { m.Entries = []Entry{dir("a"), file("a", 1, cs)} }},
		{"unsorted", func(m *Manifest) { m.Entries = []Entry{file("b", 1, cs), file("a", 1, cs)} }},
		{"file under a file", func(m *Manifest) { m.Entries = []Entry{file("a", 1, cs), file("a/b", 1, cs)} }},
		{"missing parent", func(m *Manifest) { m.Entries = []Entry{dir("a"), file("a/b/c", 1, cs)} }},
		{"missing parent, sibling prefix", func(m *Manifest) { m.Entries = []Entry{dir("a.d"), file("a/x", 1, cs)} }},
		{"too few chunks", func(m *Manifest) { m.Entries[1].Chunks = m.Entries[1].Chunks[1:] }},
		{"too many chunks", func(m *Manifest) { m.Entries[3].Chunks = fakeChunks(1, "x") }},
		{"negative size", func(m *Manifest) { m.Entries[3].Size = -1 }},
		{"non-raw chunk CID", func(m *Manifest) { m.Entries[1].Chunks[0] = chunker.BlockCID(cid.DagCBOR, []byte("x")) }},
		{"CIDv0 chunk", func(m *Manifest) { m.Entries[1].Chunks[0] = cid.NewCidV0(sha) }},
		{"sha512 chunk", func(m *Manifest) { m.Entries[1].Chunks[0] = cid.NewCidV1(cid.Raw, sha512) }},
		{"undefined chunk", func(m *Manifest) { m.Entries[1].Chunks[0] = cid.Undef }},
		{"dir with size", func(m *Manifest) { m.Entries[0].Size = 1 }},
		{"dir with chunks", func(m *Manifest) { m.Entries[0].Chunks = fakeChunks(1, "x") }},
		{"unknown kind", func(m *Manifest) { m.Entries[3].Kind = 3 }},
		{"mode beyond 0o777", func(m *Manifest) { m.Entries[3].Mode = 0o1777 }},
		{"bad chunk size", func(m *Manifest) { m.ChunkSize = cs + 1 }},
		{"zero chunk size", func(m *Manifest) { m.ChunkSize = 0 }},
		{"empty name", func(m *Manifest) { m.Name = "" }},
		{"name with slash", func(m *Manifest) { m.Name = "a/b" }},
		{"name dotdot", func(m *Manifest) { m.Name = ".." }},
		{"unknown root kind", func(m *Manifest) { m.Root = 0 }},
		{"file root with dir", func(m *Manifest) { m.Root = KindFile; m.Entries = []Entry{dir("root")} }},
		{"file root, path differs", func(m *Manifest) { m.Root = KindFile; m.Entries = []Entry{file("other", 1, cs)} }},
		{"file root, two entries", func(m *Manifest) {
			m.Root = KindFile
			m.Entries = []Entry{file("root", 1, cs), file("root2", 1, cs)}
		}},
		{"path too long", func(m *Manifest) { m.Entries = []Entry{file(strings.Repeat("a", MaxPathLen+1), 1, cs)} }},
		{"file size beyond cap", func(m *Manifest) { m.Entries[3].Size = MaxTotalSize + 1 }},
	}
	if err := good().Validate(); err != nil {
		t.Fatalf("good manifest: %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := good()
			tt.mutate(m)
			wantInvalid(t, m.Validate())
			if _, _, err := Encode(m); err == nil {
				t.Fatal("Encode accepted an invalid manifest")
			}
		})
	}
}

func TestValidateAccepts(t *testing.T) {
	tests := map[string]*Manifest{
		"empty dir":  dirManifest(cs),
		"file root":  {Name: "f.bin", Root: KindFile, ChunkSize: cs, Entries: []Entry{file("f.bin", 5, cs)}},
		"empty file": {Name: "e", Root: KindFile, ChunkSize: cs, Entries: []Entry{file("e", 0, cs)}},
		// "a b" and "a.d/x" sort between "a" and "a/x": the parent is not adjacent.
		"interleaved": dirManifest(cs, dir("a"), file("a b", 1, cs), dir("a.d"), file("a.d/x", 1, cs), file("a/x", 1, cs)),
		"sha256 chunks": {Name: "s", Root: KindDir, ChunkSize: cs, Entries: []Entry{
			{Path: "f", Kind: KindFile, Size: 1, Chunks: []cid.Cid{sha256Chunk()}},
		}},
		"dir with empty chunk slice": dirManifest(cs, Entry{Path: "d", Kind: KindDir, Chunks: []cid.Cid{}}),
	}
	for name, m := range tests {
		if err := m.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func sha256Chunk() cid.Cid {
	sum, _ := mh.Sum([]byte("x"), mh.SHA2_256, -1)
	return cid.NewCidV1(cid.Raw, sum)
}

func TestTotals(t *testing.T) {
	m := dirManifest(cs, dir("a"), file("a/f", 3*cs+1, cs), file("b", 0, cs), file("c", 10, cs))
	if got := m.TotalSize(); got != 3*cs+11 {
		t.Errorf("TotalSize = %d", got)
	}
	if got := m.NumChunks(); got != 5 {
		t.Errorf("NumChunks = %d", got)
	}
}

func TestSort(t *testing.T) {
	entries := []Entry{file("b", 0, cs), dir("a"), file("a/x", 0, cs), file("a b", 0, cs), file("A", 0, cs)}
	Sort(entries)
	var got []string
	for _, e := range entries {
		got = append(got, e.Path)
	}
	if want := "A,a,a b,a/x,b"; strings.Join(got, ",") != want {
		t.Fatalf("Sort: %v, want %s", got, want)
	}
}

func TestIsManifest(t *testing.T) {
	if IsManifest(chunker.ChunkCID(nil)) || IsManifest(cid.Undef) || !IsManifest(blockCID(nil)) {
		t.Fatal("IsManifest wrong")
	}
}
