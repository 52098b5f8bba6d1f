package storetest

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/ipfs/go-cid"
	"github.com/swarm-project/swarm/catalog"
	"github.com/swarm-project/swarm/chunker"
	"github.com/swarm-project/swarm/node/store/storecore"
)

func mustPut(t *testing.T, s catalog.Store, locs ...catalog.ChunkLocation) {
	t.Helper()
	if err := s.PutLocations(t.Context(), locs); err != nil {
		t.Fatalf("PutLocations: %v", err)
	}
}

func wantLocations(t *testing.T, s catalog.Store, c cid.Cid, want []catalog.Location) {
	t.Helper()
	got, err := s.Locations(t.Context(), c)
	if len(want) == 0 {
		if !errors.Is(err, catalog.ErrNotFound) {
			t.Fatalf("Locations(%s) = %v, %v; want ErrNotFound", c, got, err)
		}
		return
	}
	if err != nil {
		t.Fatalf("Locations(%s): %v", c, err)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("Locations(%s) =\n%+v\nwant\n%+v", c, got, want)
	}
}

func wantHas(t *testing.T, s catalog.Store, c cid.Cid, want bool) {
	t.Helper()
	got, err := s.HasChunk(t.Context(), c)
	if err != nil || got != want {
		t.Fatalf("HasChunk(%s) = %v, %v; want %v", c, got, err, want)
	}
}

func testLocations(t *testing.T, s catalog.Store) {
	locs, _ := chunkFile(t, t.TempDir(), "f", 3*testChunk+100, 1)
	mustPut(t, s, locs...)
	for _, cl := range locs {
		wantLocations(t, s, cl.CID, []catalog.Location{cl.Loc})
		wantHas(t, s, cl.CID, true)
	}
	other := chunker.ChunkCID([]byte("never added"))
	wantLocations(t, s, other, nil)
	wantHas(t, s, other, false)
	if err := s.PutLocations(t.Context(), nil); err != nil {
		t.Fatalf("empty PutLocations: %v", err)
	}
}

func testLocationsMultiple(t *testing.T, s catalog.Store) {
	data := randomBytes(testChunk, 2)
	dir := t.TempDir()
	a := chunkAt(t, writeFile(t, dir, "a", data), 0, testChunk)
	b := chunkAt(t, writeFile(t, dir, "b", data), 0, testChunk)
	mustPut(t, s, a)
	mustPut(t, s, b)
	wantLocations(t, s, a.CID, []catalog.Location{a.Loc, b.Loc})
}

func testLocationsDedupe(t *testing.T, s catalog.Store) {
	locs, _ := chunkFile(t, t.TempDir(), "f", 2*testChunk, 3)
	mustPut(t, s, locs[0], locs[0], locs[1])
	mustPut(t, s, locs[0])
	wantLocations(t, s, locs[0].CID, []catalog.Location{locs[0].Loc})
	wantLocations(t, s, locs[1].CID, []catalog.Location{locs[1].Loc})
}

// A newer record of the same file and offset (the file was re-added after
// a change) replaces the older one instead of piling up beside it.
func testLocationsSameSlotReplaced(t *testing.T, s catalog.Store) {
	locs, _ := chunkFile(t, t.TempDir(), "f", testChunk, 4)
	old := locs[0]
	newer := old
	newer.Loc.ModTime++
	mustPut(t, s, old)
	mustPut(t, s, newer)
	wantLocations(t, s, old.CID, []catalog.Location{newer.Loc})
}

func testLocationsCap(t *testing.T, s catalog.Store) {
	data := randomBytes(testChunk, 5)
	dir := t.TempDir()
	var all []catalog.Location
	var c cid.Cid
	for i := range storecore.MaxLocations + 3 {
		cl := chunkAt(t, writeFile(t, dir, fmt.Sprint("copy", i), data), 0, testChunk)
		c = cl.CID
		all = append(all, cl.Loc)
		mustPut(t, s, cl)
	}
	wantLocations(t, s, c, all[3:])
	// Re-adding the oldest kept location makes it the newest.
	mustPut(t, s, catalog.ChunkLocation{CID: c, Loc: all[3]})
	wantLocations(t, s, c, append(slices.Clone(all[4:]), all[3]))
}

func testLocationsInvalid(t *testing.T, s catalog.Store) {
	good := chunkAt(t, writeFile(t, t.TempDir(), "f", randomBytes(testChunk, 6)), 0, testChunk)
	bad := map[string]func(*catalog.ChunkLocation){
		"undefined CID":   func(cl *catalog.ChunkLocation) { cl.CID = cid.Undef },
		"relative path":   func(cl *catalog.ChunkLocation) { cl.Loc.Path = "rel/f" },
		"negative offset": func(cl *catalog.ChunkLocation) { cl.Loc.Offset = -1 },
		"beyond file end": func(cl *catalog.ChunkLocation) { cl.Loc.Offset = cl.Loc.FileSize },
		"negative size":   func(cl *catalog.ChunkLocation) { cl.Loc.Size = -1 },
		"huge size":       func(cl *catalog.ChunkLocation) { cl.Loc.Size = chunker.MaxChunkSize + 1 },
		"kind 0":          func(cl *catalog.ChunkLocation) { cl.Loc.Kind = 0 },
		"kind 9":          func(cl *catalog.ChunkLocation) { cl.Loc.Kind = 9 },
	}
	for name, mutate := range bad {
		cl := good
		mutate(&cl)
		// The whole batch is refused, including the good location.
		err := s.PutLocations(t.Context(), []catalog.ChunkLocation{good, cl})
		if !errors.Is(err, storecore.ErrInvalid) {
			t.Errorf("%s: PutLocations = %v, want ErrInvalid", name, err)
		}
	}
	wantLocations(t, s, good.CID, nil)
}

func testLocationsCopy(t *testing.T, s catalog.Store) {
	locs, _ := chunkFile(t, t.TempDir(), "f", testChunk, 7)
	mustPut(t, s, locs[0])
	got, err := s.Locations(t.Context(), locs[0].CID)
	if err != nil {
		t.Fatal(err)
	}
	got[0].Path = "/elsewhere"
	wantLocations(t, s, locs[0].CID, []catalog.Location{locs[0].Loc})
}
