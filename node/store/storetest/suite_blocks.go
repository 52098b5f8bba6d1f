package storetest

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"testing"

	"github.com/swarm-project/swarm/catalog"
	"github.com/swarm-project/swarm/chunker"
)

func testBlocks(t *testing.T, s catalog.Store) {
	ctx := t.Context()
	data := randomBytes(3000, 20)
	c := chunker.ChunkCID(data)
	if _, err := s.GetBlock(ctx, c); !errors.Is(err, catalog.ErrNotFound) {
		t.Fatalf("GetBlock before PutBlock = %v, want ErrNotFound", err)
	}
	wantHas(t, s, c, false)
	for range 2 { // putting twice is fine
		if err := s.PutBlock(ctx, c, data); err != nil {
			t.Fatalf("PutBlock: %v", err)
		}
	}
	got, err := s.GetBlock(ctx, c)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("GetBlock = %d bytes, %v; want the %d bytes put", len(got), err, len(data))
	}
	wantHas(t, s, c, true)
	wantRead(t, s, c, data) // ReadChunk falls back to the blob store
	wantLocations(t, s, c, nil)
}

func testBlockMismatch(t *testing.T, s catalog.Store) {
	c := chunker.ChunkCID([]byte("the real bytes"))
	err := s.PutBlock(t.Context(), c, []byte("other bytes"))
	if !errors.Is(err, chunker.ErrHashMismatch) {
		t.Fatalf("PutBlock with wrong data = %v, want ErrHashMismatch", err)
	}
	if _, err := s.GetBlock(t.Context(), c); !errors.Is(err, catalog.ErrNotFound) {
		t.Fatalf("GetBlock after refused PutBlock = %v, want ErrNotFound", err)
	}
}

// A block damaged on disk is reported, removed and never served; putting
// it again repairs it.
func testBlockCorruptOnDisk(t *testing.T, s catalog.Store) {
	bp, ok := s.(BlobPather)
	if !ok {
		t.Skip("store does not expose blob paths")
	}
	ctx := t.Context()
	data := randomBytes(2000, 21)
	c := chunker.ChunkCID(data)
	if err := s.PutBlock(ctx, c, data); err != nil {
		t.Fatal(err)
	}
	wantBlobStats(t, s, 1, int64(len(data)))
	corrupt := bytes.Clone(data)
	corrupt[100] ^= 0xff
	if err := os.WriteFile(bp.BlobPath(c), corrupt, 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetBlock(ctx, c)
	if !errors.Is(err, chunker.ErrHashMismatch) || got != nil {
		t.Fatalf("GetBlock of a corrupted block = %d bytes, %v; want nil, ErrHashMismatch", len(got), err)
	}
	if _, err := os.Stat(bp.BlobPath(c)); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("corrupted block file still there: %v", err)
	}
	if _, err := s.GetBlock(ctx, c); !errors.Is(err, catalog.ErrNotFound) {
		t.Fatalf("GetBlock after removal = %v, want ErrNotFound", err)
	}
	wantBlobStats(t, s, 0, 0)
	wantHas(t, s, c, false)

	if err := s.PutBlock(ctx, c, data); err != nil {
		t.Fatal(err)
	}
	if got, err := s.GetBlock(ctx, c); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("GetBlock after repair: %v", err)
	}
}

func wantBlobStats(t *testing.T, s catalog.Store, blobs, bytes int64) {
	t.Helper()
	st, err := s.Stats(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if st.Blobs != blobs || st.BlobBytes != bytes {
		t.Fatalf("Stats: %d blobs of %d bytes, want %d of %d", st.Blobs, st.BlobBytes, blobs, bytes)
	}
}
