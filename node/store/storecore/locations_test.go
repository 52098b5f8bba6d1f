package storecore

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/swarm-project/swarm/catalog"
	"github.com/swarm-project/swarm/chunker"
)

func loc(path string, off int64) catalog.Location {
	return catalog.Location{Kind: catalog.InPlace, Path: path, Offset: off, Size: 1, FileSize: 1 << 20}
}

func TestMergeLocations(t *testing.T) {
	a, b, c := loc("/a", 0), loc("/b", 0), loc("/a", 1)
	a2 := a
	a2.ModTime = 9
	tests := []struct {
		have []catalog.Location
		add  catalog.Location
		want []catalog.Location
	}{
		{nil, a, []catalog.Location{a}},
		{[]catalog.Location{a}, b, []catalog.Location{a, b}},
		{[]catalog.Location{a, b}, a, []catalog.Location{b, a}},    // identical: moved to newest
		{[]catalog.Location{a, b}, a2, []catalog.Location{b, a2}},  // same slot: replaced
		{[]catalog.Location{a, b}, c, []catalog.Location{a, b, c}}, // other offset: kept
	}
	for i, tt := range tests {
		have := slices.Clone(tt.have)
		if got := MergeLocations(have, tt.add); !slices.Equal(got, tt.want) {
			t.Errorf("%d: got %v, want %v", i, got, tt.want)
		}
		if !slices.Equal(have, tt.have) {
			t.Errorf("%d: MergeLocations modified its input", i)
		}
	}
}

func TestMergeLocationsCap(t *testing.T) {
	var have, all []catalog.Location
	for i := range MaxLocations + 2 {
		l := loc(fmt.Sprint("/f", i), 0)
		all = append(all, l)
		have = MergeLocations(have, l)
	}
	if !slices.Equal(have, all[2:]) {
		t.Fatalf("got %v, want the newest %d", have, MaxLocations)
	}
}

func TestRemoveLocation(t *testing.T) {
	a, b := loc("/a", 0), loc("/b", 0)
	a2 := a
	a2.ModTime = 9
	if got := RemoveLocation([]catalog.Location{a, b}, a); !slices.Equal(got, []catalog.Location{b}) {
		t.Fatalf("got %v", got)
	}
	// A newer record of the same slot is not removed with the stale one.
	if got := RemoveLocation([]catalog.Location{a2, b}, a); !slices.Equal(got, []catalog.Location{a2, b}) {
		t.Fatalf("got %v", got)
	}
}

func TestGroupByCID(t *testing.T) {
	c1, c2 := chunker.ChunkCID([]byte("1")), chunker.ChunkCID([]byte("2"))
	blob := catalog.Location{Kind: catalog.Blob, Size: 1, Path: "junk", Offset: 3, ModTime: 4}
	groups, err := GroupByCID([]catalog.ChunkLocation{
		{CID: c2, Loc: loc("/x", 0)}, {CID: c1, Loc: blob}, {CID: c2, Loc: loc("/y", 0)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 2 || groups[0].CID != c2 || groups[1].CID != c1 {
		t.Fatalf("groups out of order: %v", groups)
	}
	if !slices.Equal(groups[0].Locs, []catalog.Location{loc("/x", 0), loc("/y", 0)}) {
		t.Fatalf("group locations: %v", groups[0].Locs)
	}
	if want := (catalog.Location{Kind: catalog.Blob, Size: 1}); groups[1].Locs[0] != want {
		t.Fatalf("blob location not normalised: %+v", groups[1].Locs[0])
	}
	_, err = GroupByCID([]catalog.ChunkLocation{{CID: c1, Loc: loc("/x", 0)}, {CID: c1, Loc: loc("x", 0)}})
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("relative path: %v", err)
	}
}
