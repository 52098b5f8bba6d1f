package storetest

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/swarm-project/swarm/catalog"
	"github.com/swarm-project/swarm/chunker"
)

// testChunk is the chunk size the suite cuts its files into.
const testChunk = 1 << 10

// wantList fails the test unless list returns want, compared with eq.
func wantList[T any](t *testing.T, list func(context.Context) ([]T, error), eq func(a, b T) bool, want ...T) {
	t.Helper()
	got, err := list(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(got, want, eq) {
		t.Fatalf("got\n%v\nwant\n%v", got, want)
	}
}

// randomBytes returns n pseudo-random bytes determined by seed.
func randomBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// writeFile creates dir/name with data and returns its absolute path.
func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	path, err := filepath.Abs(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// chunkAt is the in-place location of size bytes at off in the file at
// path, named by the CID of those bytes, with the file's current size and
// mtime, as `swarm add` records it.
func chunkAt(t *testing.T, path string, off int64, size int) catalog.ChunkLocation {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return catalog.ChunkLocation{
		CID: chunker.ChunkCID(data[off : off+int64(size)]),
		Loc: catalog.Location{Kind: catalog.InPlace, Path: path, Offset: off, Size: size,
			FileSize: fi.Size(), ModTime: fi.ModTime().UnixNano()},
	}
}

// chunkFile writes a file of n bytes and returns it cut into testChunk
// chunks (the last one shorter) and its data.
func chunkFile(t *testing.T, dir, name string, n int, seed uint64) ([]catalog.ChunkLocation, []byte) {
	t.Helper()
	data := randomBytes(n, seed)
	path := writeFile(t, dir, name, data)
	var locs []catalog.ChunkLocation
	for off := 0; off < n; off += testChunk {
		locs = append(locs, chunkAt(t, path, int64(off), min(testChunk, n-off)))
	}
	return locs, data
}

// rewriteSameSize changes the bytes at off in path without changing its
// size, then sets its mtime back so that only the hash can tell.
func rewriteSameSize(t *testing.T, path string, off int64) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte("changed!"), off); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, time.Time{}, fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	after, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if after.Size() != fi.Size() || !after.ModTime().Equal(fi.ModTime()) {
		t.Fatalf("could not restore size and mtime of %s", path)
	}
}

func locsOf(cls []catalog.ChunkLocation) []catalog.Location {
	out := make([]catalog.Location, len(cls))
	for i, cl := range cls {
		out[i] = cl.Loc
	}
	return out
}
