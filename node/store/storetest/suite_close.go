package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/swarm-project/swarm/catalog"
	"github.com/swarm-project/swarm/chunker"
	"github.com/swarm-project/swarm/node/store/storecore"
)

// calls exercises every method but Close, returning each one's error.
func calls(ctx context.Context, s catalog.Store) map[string]error {
	data := []byte("data")
	c := chunker.ChunkCID(data)
	loc := catalog.ChunkLocation{CID: c, Loc: catalog.Location{Kind: catalog.Blob, Size: len(data)}}
	errs := map[string]error{}
	errs["PutLocations"] = s.PutLocations(ctx, []catalog.ChunkLocation{loc})
	_, errs["Locations"] = s.Locations(ctx, c)
	_, errs["HasChunk"] = s.HasChunk(ctx, c)
	errs["PutBlock"] = s.PutBlock(ctx, c, data)
	_, errs["ReadChunk"] = s.ReadChunk(ctx, c)
	_, errs["GetBlock"] = s.GetBlock(ctx, c)
	errs["AddPin"] = s.AddPin(ctx, catalog.Pin{Name: "p", Root: c})
	errs["RemovePin"] = s.RemovePin(ctx, "p")
	_, errs["Pins"] = s.Pins(ctx)
	now := time.Now()
	errs["PutBan"] = s.PutBan(ctx, catalog.Ban{Peer: "b", Time: now, Until: now})
	_, errs["GetBan"] = s.GetBan(ctx, "b")
	_, errs["Bans"] = s.Bans(ctx)
	errs["RemoveBan"] = s.RemoveBan(ctx, "b")
	errs["PutEndpoints"] = s.PutEndpoints(ctx, c, []string{"http://mirror/"})
	_, errs["Endpoints"] = s.Endpoints(ctx, c)
	errs["JournalAdd"] = s.JournalAdd(ctx, "d", []uint64{1})
	_, errs["JournalLoad"] = s.JournalLoad(ctx, "d")
	errs["JournalDelete"] = s.JournalDelete(ctx, "d")
	_, errs["Stats"] = s.Stats(ctx)
	return errs
}

func testCancelledContext(t *testing.T, s catalog.Store) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	for name, err := range calls(ctx, s) {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context = %v, want context.Canceled", name, err)
		}
	}
	// Nothing was done.
	wantStats(t, s, catalog.Stats{})
}

func testClose(t *testing.T, s catalog.Store) {
	for name, err := range calls(t.Context(), s) {
		if err != nil {
			t.Fatalf("%s on an open store: %v", name, err)
		}
	}
	for range 2 {
		if err := s.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
	}
	for name, err := range calls(t.Context(), s) {
		if !errors.Is(err, storecore.ErrClosed) {
			t.Errorf("%s after Close = %v, want ErrClosed", name, err)
		}
	}
}
