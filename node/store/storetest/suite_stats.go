package storetest

import (
	"testing"

	"github.com/swarm-project/swarm/catalog"
	"github.com/swarm-project/swarm/chunker"
)

func testStats(t *testing.T, s catalog.Store) {
	ctx := t.Context()
	wantStats(t, s, catalog.Stats{})
	locs, _ := chunkFile(t, t.TempDir(), "f", 3*testChunk, 30)
	mustPut(t, s, locs...)
	mustPut(t, s, locs[0]) // same chunk again: still 3 chunks
	for _, name := range []string{"p1", "p2"} {
		if err := s.AddPin(ctx, catalog.Pin{Name: name, Root: locs[0].CID}); err != nil {
			t.Fatal(err)
		}
	}
	mustJournal(t, s, "j1", 1, 2, 5000)
	mustJournal(t, s, "j2", 1)
	mustJournal(t, s, "j2", 1<<30)
	for _, b := range [][]byte{[]byte("one"), []byte("three")} {
		if err := s.PutBlock(ctx, chunker.ChunkCID(b), b); err != nil {
			t.Fatal(err)
		}
	}
	wantStats(t, s, catalog.Stats{Chunks: 3, Blobs: 2, BlobBytes: 8, Pins: 2, Journals: 2})

	if err := s.JournalDelete(ctx, "j1"); err != nil {
		t.Fatal(err)
	}
	if err := s.RemovePin(ctx, "p1"); err != nil {
		t.Fatal(err)
	}
	wantStats(t, s, catalog.Stats{Chunks: 3, Blobs: 2, BlobBytes: 8, Pins: 1, Journals: 1})
}

func wantStats(t *testing.T, s catalog.Store, want catalog.Stats) {
	t.Helper()
	got, err := s.Stats(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("Stats = %+v, want %+v", got, want)
	}
}
