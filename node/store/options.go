package store

import (
	"log/slog"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"
)

// Badger settings for a long-running daemon whose index holds small values:
// location lists (~100 bytes per location), pins and 512-byte journal
// pages. Badger's defaults target a database server (64 MiB memtables x5,
// a 256 MiB block cache, 1 GiB value-log files); an idle node should stay
// lean, so:
const (
	// Two 16 MiB memtables: one taking writes, one being flushed. A
	// transaction may hold 15% of a memtable: ~2.4 MiB or ~25,000 entries
	// (~16,000 location lists of typical size); larger batches are split
	// (see updateItems).
	memTableSize = 16 << 20
	numMemtables = 2
	// Table indexes and bloom filters are cached up to 16 MiB instead of
	// all being kept in memory, so a large index does not grow the heap.
	indexCacheSize = 16 << 20
	// Values are far below Badger's value threshold and stay in the LSM
	// tree; value-log files only need to be small.
	valueLogFileSize = 64 << 20
	// Two compactors is Badger's minimum (one is dedicated to level 0).
	numCompactors = 2
)

// badgerOptions returns the options for the index in dir.
//
// Writes are synced (SyncWrites): a JournalAdd or AddPin that returned
// survives a crash; Badger groups concurrent commits into one sync. Blocks
// are not compressed (CIDs are random bytes) and, with neither compression
// nor encryption, Badger reads table blocks straight from the memory map,
// so the block cache is off. Metrics are off: they are process-wide expvars.
func badgerOptions(dir string, log *slog.Logger) badger.Options {
	return badger.DefaultOptions(dir).
		WithLogger(badgerLogger{log}).
		WithSyncWrites(true).
		WithMemTableSize(memTableSize).
		WithNumMemtables(numMemtables).
		WithBlockCacheSize(0).
		WithIndexCacheSize(indexCacheSize).
		WithCompression(options.None).
		WithValueLogFileSize(valueLogFileSize).
		WithNumCompactors(numCompactors).
		WithMetricsEnabled(false)
}
