package nodetest

import (
	"bytes"
	"io/fs"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ipfs/go-cid"

	"github.com/swarm-project/swarm/chunker"
	"github.com/swarm-project/swarm/chunker/manifest"
)

// WriteTree creates a test tree under dir: files of mixed sizes (empty, one
// byte, around chunk boundaries, several chunks), an empty directory, a
// nested directory and an executable file. Content is seeded and random.
func WriteTree(t testing.TB, dir string, chunkSize int, seed uint64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
	files := map[string]int{
		"empty.txt":         0,
		"one.bin":           1,
		"a/below.bin":       chunkSize - 1,
		"a/exact.bin":       chunkSize,
		"a/above.bin":       chunkSize + 1,
		"a/b/c/several.bin": 3*chunkSize + 12345,
		"a-sibling/x.dat":   777,
	}
	for _, p := range slices.Sorted(maps.Keys(files)) {
		size := files[p]
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		data := make([]byte, size)
		for i := range data {
			data[i] = byte(rng.Uint32())
		}
		if err := os.WriteFile(full, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(filepath.Join(dir, "a/b/c/several.bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "empty-dir/nested-empty"), 0o755); err != nil {
		t.Fatal(err)
	}
}

// SameTree fails the test unless a and b hold the same files with the same
// bytes and permission bits, and the same (possibly empty) directories.
func SameTree(t testing.TB, a, b string) {
	t.Helper()
	want := snapshot(t, a)
	got := snapshot(t, b)
	for p, w := range want {
		g, ok := got[p]
		if !ok {
			t.Errorf("%s: missing from %s", p, b)
			continue
		}
		if w.mode != g.mode || w.dir != g.dir || !bytes.Equal(w.data, g.data) {
			t.Errorf("%s differs: mode %v/%v dir %v/%v bytes %d/%d", p, w.mode, g.mode, w.dir, g.dir, len(w.data), len(g.data))
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("%s: extra in %s", p, b)
		}
	}
}

type fsNode struct {
	mode fs.FileMode
	dir  bool
	data []byte
}

func snapshot(t testing.TB, root string) map[string]fsNode {
	t.Helper()
	out := map[string]fsNode{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		info, err := d.Info()
		if err != nil {
			return err
		}
		n := fsNode{mode: info.Mode().Perm(), dir: d.IsDir()}
		if info.Mode().IsRegular() {
			if n.data, err = os.ReadFile(p); err != nil {
				return err
			}
		}
		out[rel] = n
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Content cuts files (path → bytes, a directory root) into a manifest and
// blocks in memory, as `swarm add` would, and returns the root and every
// block (manifest blocks and chunks) keyed by CID.
func Content(t testing.TB, name string, files map[string][]byte, chunkSize int) (cid.Cid, map[cid.Cid][]byte) {
	t.Helper()
	blocks := map[cid.Cid][]byte{}
	m := &manifest.Manifest{Name: name, Root: manifest.KindDir, ChunkSize: uint32(chunkSize)}
	dirs := map[string]bool{}
	for p, data := range files {
		for d := filepath.Dir(p); d != "."; d = filepath.Dir(d) {
			dirs[filepath.ToSlash(d)] = true
		}
		e := manifest.Entry{Path: p, Kind: manifest.KindFile, Mode: 0o644, Size: int64(len(data))}
		for off := 0; off < len(data); off += chunkSize {
			c := data[off:min(off+chunkSize, len(data))]
			id := chunker.ChunkCID(c)
			blocks[id] = c
			e.Chunks = append(e.Chunks, id)
		}
		m.Entries = append(m.Entries, e)
	}
	for d := range dirs {
		m.Entries = append(m.Entries, manifest.Entry{Path: d, Kind: manifest.KindDir, Mode: 0o755})
	}
	sortEntries(m.Entries)
	root, mblocks, err := manifest.Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range mblocks {
		blocks[b.CID] = b.Data
	}
	return root, blocks
}

func sortEntries(es []manifest.Entry) {
	slices.SortFunc(es, func(a, b manifest.Entry) int { return strings.Compare(a.Path, b.Path) })
}
