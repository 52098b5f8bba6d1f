package storetest

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/swarm-project/swarm/catalog"
	"github.com/swarm-project/swarm/chunker"
)

func wantRead(t *testing.T, s catalog.Store, c cid.Cid, want []byte) {
	t.Helper()
	got, err := s.ReadChunk(t.Context(), c)
	if err != nil {
		t.Fatalf("ReadChunk(%s): %v", c, err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("ReadChunk(%s) returned %d bytes that differ from the %d expected", c, len(got), len(want))
	}
}

// wantStale checks that reading c fails with ErrStale naming path, and that
// the location is gone afterwards.
func wantStale(t *testing.T, s catalog.Store, c cid.Cid, path string) {
	t.Helper()
	_, err := s.ReadChunk(t.Context(), c)
	if !errors.Is(err, catalog.ErrStale) {
		t.Fatalf("ReadChunk(%s) = %v, want ErrStale", c, err)
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("error %q does not name %s", err, path)
	}
	wantLocations(t, s, c, nil)
	wantHas(t, s, c, false)
	if _, err := s.ReadChunk(t.Context(), c); !errors.Is(err, catalog.ErrNotFound) {
		t.Errorf("second ReadChunk(%s) = %v, want ErrNotFound", c, err)
	}
}

func testReadChunk(t *testing.T, s catalog.Store) {
	locs, data := chunkFile(t, t.TempDir(), "f", 3*testChunk+10, 10)
	mustPut(t, s, locs...)
	for i, cl := range locs {
		end := min(len(data), (i+1)*testChunk)
		wantRead(t, s, cl.CID, data[i*testChunk:end])
	}
}

func testReadChunkNotFound(t *testing.T, s catalog.Store) {
	_, err := s.ReadChunk(t.Context(), chunker.ChunkCID([]byte("absent")))
	if !errors.Is(err, catalog.ErrNotFound) {
		t.Fatalf("ReadChunk = %v, want ErrNotFound", err)
	}
}

// Same size, mtime restored: only the hash check can notice.
func testReadChunkStaleContent(t *testing.T, s catalog.Store) {
	locs, data := chunkFile(t, t.TempDir(), "f", 2*testChunk, 11)
	mustPut(t, s, locs...)
	path := locs[1].Loc.Path
	rewriteSameSize(t, path, testChunk+5)
	wantStale(t, s, locs[1].CID, path)
	wantRead(t, s, locs[0].CID, data[:testChunk]) // untouched chunk still reads
}

// A shorter file loses the chunks past its end; the others still read.
func testReadChunkStaleSize(t *testing.T, s catalog.Store) {
	locs, data := chunkFile(t, t.TempDir(), "f", 2*testChunk, 12)
	mustPut(t, s, locs...)
	path := locs[0].Loc.Path
	if err := os.Truncate(path, testChunk+5); err != nil {
		t.Fatal(err)
	}
	wantStale(t, s, locs[1].CID, path)
	wantRead(t, s, locs[0].CID, data[:testChunk])
}

// A file touched, or grown at its end, still serves every chunk that
// hashes right: before, a new mtime or size dropped them all, silently.
func testReadChunkTouched(t *testing.T, s catalog.Store) {
	locs, data := chunkFile(t, t.TempDir(), "f", 2*testChunk, 15)
	mustPut(t, s, locs...)
	path := locs[0].Loc.Path
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(path, later, later); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte("more")); err != nil {
		t.Fatal(err)
	}
	f.Close()
	wantRead(t, s, locs[0].CID, data[:testChunk])
	wantRead(t, s, locs[1].CID, data[testChunk:])
}

func testReadChunkStaleDeleted(t *testing.T, s catalog.Store) {
	locs, _ := chunkFile(t, t.TempDir(), "f", testChunk, 13)
	mustPut(t, s, locs...)
	if err := os.Remove(locs[0].Loc.Path); err != nil {
		t.Fatal(err)
	}
	wantStale(t, s, locs[0].CID, locs[0].Loc.Path)
}

// The first location is stale: it is dropped and the second one serves.
func testReadChunkFallback(t *testing.T, s catalog.Store) {
	data := randomBytes(testChunk, 14)
	dir := t.TempDir()
	a := chunkAt(t, writeFile(t, dir, "a", data), 0, testChunk)
	b := chunkAt(t, writeFile(t, dir, "b", data), 0, testChunk)
	mustPut(t, s, a, b)
	rewriteSameSize(t, a.Loc.Path, 0)
	wantRead(t, s, a.CID, data)
	wantLocations(t, s, a.CID, []catalog.Location{b.Loc})
}

// The only in-place location is stale but the blob store has the chunk.
func testReadChunkBlobFallback(t *testing.T, s catalog.Store) {
	locs, data := chunkFile(t, t.TempDir(), "f", testChunk, 15)
	mustPut(t, s, locs...)
	if err := s.PutBlock(t.Context(), locs[0].CID, data); err != nil {
		t.Fatal(err)
	}
	rewriteSameSize(t, locs[0].Loc.Path, 0)
	wantRead(t, s, locs[0].CID, data)
	wantLocations(t, s, locs[0].CID, nil)
	wantHas(t, s, locs[0].CID, true)
}

// A Blob location reads from the blob store and is dropped once the blob
// is gone.
func testReadChunkBlobLocation(t *testing.T, s catalog.Store) {
	data := randomBytes(testChunk, 16)
	c := chunker.ChunkCID(data)
	loc := catalog.Location{Kind: catalog.Blob, Size: testChunk, Path: "ignored", Offset: 7}
	mustPut(t, s, catalog.ChunkLocation{CID: c, Loc: loc})
	wantLocations(t, s, c, []catalog.Location{{Kind: catalog.Blob, Size: testChunk}})
	if err := s.PutBlock(t.Context(), c, data); err != nil {
		t.Fatal(err)
	}
	wantRead(t, s, c, data)

	missing := chunker.ChunkCID([]byte("no blob"))
	mustPut(t, s, catalog.ChunkLocation{CID: missing, Loc: catalog.Location{Kind: catalog.Blob, Size: 7}})
	if _, err := s.ReadChunk(t.Context(), missing); !errors.Is(err, catalog.ErrStale) {
		t.Fatalf("ReadChunk of a blob location without blob = %v, want ErrStale", err)
	}
	wantLocations(t, s, missing, nil)
}

// A partial location (a file a download is still writing) is served while
// its bytes verify, whatever happens to the file's size and mtime, and
// dropped once they do not.
func testReadChunkPartial(t *testing.T, s catalog.Store) {
	locs, data := chunkFile(t, t.TempDir(), "f", 2*testChunk, 14)
	for i := range locs {
		locs[i].Loc.Kind = catalog.Partial
	}
	mustPut(t, s, locs...)
	path := locs[0].Loc.Path
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte("the download goes on")); err != nil {
		t.Fatal(err)
	}
	f.Close()
	wantRead(t, s, locs[0].CID, data[:testChunk])
	rewriteSameSize(t, path, testChunk+5)
	wantStale(t, s, locs[1].CID, path)
}
