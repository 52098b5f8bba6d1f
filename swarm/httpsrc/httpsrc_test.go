package httpsrc

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/swarm-project/swarm/chunker"
	"github.com/swarm-project/swarm/chunker/manifest"
	"github.com/swarm-project/swarm/swarm/fetch"
)

const cs = chunker.MinChunkSize

// tree writes files under dir (one with a space in its name) and returns
// their manifest.
func tree(t *testing.T, dir string) (*manifest.Manifest, map[string][]byte) {
	t.Helper()
	rng := rand.New(rand.NewPCG(5, 6))
	files := map[string][]byte{"sub dir/a.bin": make([]byte, 3*cs+100), "b.bin": make([]byte, 10)}
	m := &manifest.Manifest{Name: "t", Root: manifest.KindDir, ChunkSize: cs,
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
		p := filepath.Join(dir, filepath.FromSlash(e.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		*e = manifest.Entry{Path: e.Path, Kind: manifest.KindFile, Mode: 0o644, Size: int64(len(data))}
		for off := 0; off < len(data); off += cs {
			e.Chunks = append(e.Chunks, chunker.ChunkCID(data[off:min(off+cs, len(data))]))
		}
	}
	return m, files
}

type journal struct {
	mu  sync.Mutex
	idx []uint64
}

func (j *journal) Load(context.Context) ([]uint64, error) { return nil, nil }
func (j *journal) Add(_ context.Context, i []uint64) error {
	j.mu.Lock()
	j.idx = append(j.idx, i...)
	j.mu.Unlock()
	return nil
}
func (j *journal) Reset(context.Context) error { return nil }

func get(t *testing.T, m *manifest.Manifest, srcs ...fetch.Source) (string, fetch.Result, error) {
	dest := filepath.Join(t.TempDir(), "out")
	res, err := fetch.Run(context.Background(), fetch.Config{Manifest: m, Dest: dest, Sources: srcs, Journal: &journal{}, Depth: 4})
	return dest, res, err
}

func same(t *testing.T, dest string, files map[string][]byte) {
	t.Helper()
	for p, want := range files {
		got, err := os.ReadFile(filepath.Join(dest, filepath.FromSlash(p)))
		if err != nil || !bytes.Equal(got, want) {
			first := -1
			for i := range min(len(got), len(want)) {
				if got[i] != want[i] {
					first = i
					break
				}
			}
			t.Fatalf("%s differs (err %v): len %d/%d, first difference at %d: got %x want %x", p, err, len(got), len(want), first, got[first:first+8], want[first:first+8])
		}
	}
}

func TestFileServerMirror(t *testing.T) {
	dir := t.TempDir()
	m, files := tree(t, dir)
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()
	ep, err := New(srv.URL+"/", m, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	dest, res, err := get(t, m, ep)
	if err != nil {
		t.Fatal(err)
	}
	same(t, dest, files)
	if res.Sources[0].Bytes != m.TotalSize() {
		t.Fatalf("%+v", res.Sources)
	}
}

// An endpoint that lies, fails or cuts bodies short never corrupts the
// output: the liar is dropped, the rest is retried elsewhere.
func TestMisbehavingEndpoints(t *testing.T) {
	dir := t.TempDir()
	m, files := tree(t, dir)
	good := http.FileServer(http.Dir(dir))
	var n atomic.Int64
	mk := func(h http.HandlerFunc) *httptest.Server { s := httptest.NewServer(h); t.Cleanup(s.Close); return s }
	liar := mk(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		good.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		if len(body) > 0 {
			body[0] ^= 1
		}
		w.Header().Set("Content-Range", rec.Header().Get("Content-Range"))
		w.WriteHeader(rec.Code)
		w.Write(body)
	})
	flaky := mk(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1)%3 == 0 {
			http.Error(w, "oops", http.StatusInternalServerError)
			return
		}
		good.ServeHTTP(w, r)
	})
	short := mk(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000")
		w.WriteHeader(http.StatusPartialContent)
		w.Write([]byte("short"))
	})
	var srcs []fetch.Source
	for _, s := range []*httptest.Server{liar, short, flaky} {
		ep, err := New(s.URL, m, s.Client())
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, ep)
	}
	dest, res, err := get(t, m, srcs...)
	if err != nil {
		t.Fatal(err)
	}
	same(t, dest, files)
	if res.Sources[0].Dropped == "" {
		t.Errorf("liar not dropped: %+v", res.Sources)
	}
}

func TestNotFoundAndBadURL(t *testing.T) {
	m, _ := tree(t, t.TempDir())
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	ep, _ := New(srv.URL, m, srv.Client())
	if _, _, err := get(t, m, ep); !errors.Is(err, fetch.ErrUnavailable) {
		t.Fatalf("got %v", err)
	}
	for _, bad := range []string{"ftp://x/y", "not a url", "http://"} {
		if _, err := New(bad, m, nil); !errors.Is(err, ErrBadEndpoint) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestNameHidesSecrets(t *testing.T) {
	m, _ := tree(t, t.TempDir())
	ep, _ := New("https://user:pw@example.org/bucket?X-Amz-Signature=abc", m, nil)
	if name := ep.Name(); slices.ContainsFunc([]string{"pw", "Signature"}, func(s string) bool { return bytes.Contains([]byte(name), []byte(s)) }) {
		t.Fatalf("name leaks secrets: %s", name)
	}
}
