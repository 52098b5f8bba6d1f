package storetest

import (
	"testing"

	"github.com/ipfs/go-cid"
	"github.com/swarm-project/swarm/catalog"
)

// BlobPather is implemented by stores that can say where a block is kept
// on disk. With it, Run also checks that a block corrupted on disk is
// detected, removed and not served.
type BlobPather interface {
	BlobPath(c cid.Cid) string
}

// Run runs the shared suite. open must return a new, empty store for each
// call; Run closes it when the subtest ends (Close is idempotent, so open
// may register its own cleanup too).
func Run(t *testing.T, open func(t *testing.T) catalog.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s catalog.Store)
	}{
		{"Locations", testLocations},
		{"LocationsMultiple", testLocationsMultiple},
		{"LocationsDedupe", testLocationsDedupe},
		{"LocationsSameSlotReplaced", testLocationsSameSlotReplaced},
		{"LocationsCap", testLocationsCap},
		{"LocationsInvalid", testLocationsInvalid},
		{"LocationsCopy", testLocationsCopy},
		{"ReadChunk", testReadChunk},
		{"ReadChunkNotFound", testReadChunkNotFound},
		{"ReadChunkStaleContent", testReadChunkStaleContent},
		{"ReadChunkStaleSize", testReadChunkStaleSize},
		{"ReadChunkTouched", testReadChunkTouched},
		{"ReadChunkStaleDeleted", testReadChunkStaleDeleted},
		{"ReadChunkFallback", testReadChunkFallback},
		{"ReadChunkBlobFallback", testReadChunkBlobFallback},
		{"ReadChunkBlobLocation", testReadChunkBlobLocation},
		{"Blocks", testBlocks},
		{"BlockMismatch", testBlockMismatch},
		{"BlockCorruptOnDisk", testBlockCorruptOnDisk},
		{"Pins", testPins},
		{"PinsInvalid", testPinsInvalid},
		{"Bans", testBans},
		{"BansInvalid", testBansInvalid},
		{"Endpoints", testEndpoints},
		{"EndpointsInvalid", testEndpointsInvalid},
		{"Journal", testJournal},
		{"JournalSeparate", testJournalSeparate},
		{"JournalLarge", testJournalLarge},
		{"JournalInvalid", testJournalInvalid},
		{"Stats", testStats},
		{"Concurrent", testConcurrent},
		{"ConcurrentStale", testConcurrentStale},
		{"CancelledContext", testCancelledContext},
		{"Close", testClose},
		{"ReadChunkPartial", testReadChunkPartial},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
			tt.fn(t, s)
		})
	}
}
