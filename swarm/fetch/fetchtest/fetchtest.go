// Package fetchtest helps test fetch.Source implementations: a random tree
// of files with its manifest, an in-memory journal, a download into a temp
// dir and a byte-for-byte comparison of the result.
package fetchtest

import (
	"bytes"
	"context"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/ipfs/go-cid"

	"github.com/swarm-project/swarm/chunker"
	"github.com/swarm-project/swarm/chunker/manifest"
	"github.com/swarm-project/swarm/swarm/fetch"
)

// ChunkSize is the chunk size of Tree's manifest.
const ChunkSize = chunker.MinChunkSize

// Tree makes a directory tree of random files, one with a space in its
// path, and returns its manifest and each file's bytes by manifest path.
// With dir set, the files are also written under it.
func Tree(t testing.TB, dir string) (*manifest.Manifest, map[string][]byte) {
	t.Helper()
	rng := rand.New(rand.NewPCG(5, 6))
	files := map[string][]byte{"sub dir/a.bin": make([]byte, 3*ChunkSize+100), "b.bin": make([]byte, 10)}
	m := &manifest.Manifest{Name: "t", Root: manifest.KindDir, ChunkSize: ChunkSize,
		Entries: []manifest.Entry{{Path: "b.bin"}, {Path: "sub dir", Kind: manifest.KindDir, Mode: 0o755}, {Path: "sub dir/a.bin"}}}
	for i := range m.Entries {
		e := &m.Entries[i]
		if e.Kind == manifest.KindDir {
			continue
		}
		data := files[e.Path]
		for j := range data {
			data[j] = byte(rng.Uint32())
		}
		if dir != "" {
			write(t, filepath.Join(dir, filepath.FromSlash(e.Path)), data)
		}
		*e = manifest.Entry{Path: e.Path, Kind: manifest.KindFile, Mode: 0o644, Size: int64(len(data))}
		for off := 0; off < len(data); off += ChunkSize {
			e.Chunks = append(e.Chunks, chunker.ChunkCID(data[off:min(off+ChunkSize, len(data))]))
		}
	}
	return m, files
}

func write(t testing.TB, p string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// Blocks maps every chunk of m to its bytes in files, and every block of
// m's encoding to its bytes: all a block server needs to serve the root.
func Blocks(t testing.TB, m *manifest.Manifest, files map[string][]byte) (cid.Cid, map[cid.Cid][]byte) {
	t.Helper()
	root, enc, err := manifest.Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	out := map[cid.Cid][]byte{}
	for _, b := range enc {
		out[b.CID] = b.Data
	}
	for _, e := range m.Entries {
		for i, c := range e.Chunks {
			data := files[e.Path]
			out[c] = data[i*int(m.ChunkSize) : min((i+1)*int(m.ChunkSize), len(data))]
		}
	}
	return root, out
}

// Flip wraps h so that every body it answers has its first byte flipped,
// headers (Content-Range included) unchanged: a mirror serving wrong bytes.
func Flip(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		if len(body) > 0 {
			body[0] ^= 1
		}
		w.Header().Set("Content-Range", rec.Header().Get("Content-Range"))
		w.WriteHeader(rec.Code)
		w.Write(body)
	})
}

// Journal is an in-memory fetch.Journal.
type Journal struct {
	mu  sync.Mutex
	idx []uint64
}

// Load returns nothing: every download starts afresh.
func (j *Journal) Load(context.Context) ([]uint64, error) { return nil, nil }

// Add records verified chunk indexes.
func (j *Journal) Add(_ context.Context, i []uint64) error {
	j.mu.Lock()
	j.idx = append(j.idx, i...)
	j.mu.Unlock()
	return nil
}

// Reset does nothing.
func (j *Journal) Reset(context.Context) error { return nil }

// Get downloads m from srcs into a new temp dir and returns the destination.
func Get(t testing.TB, m *manifest.Manifest, srcs ...fetch.Source) (string, fetch.Result, error) {
	dest := filepath.Join(t.TempDir(), "out")
	res, err := fetch.Run(context.Background(), fetch.Config{Manifest: m, Dest: dest, Sources: srcs, Journal: &Journal{}, Depth: 4})
	return dest, res, err
}

// Same fails the test unless dest holds exactly files' bytes.
func Same(t testing.TB, dest string, files map[string][]byte) {
	t.Helper()
	for p, want := range files {
		got, err := os.ReadFile(filepath.Join(dest, filepath.FromSlash(p)))
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%s differs (err %v): len %d, want %d", p, err, len(got), len(want))
		}
	}
}
