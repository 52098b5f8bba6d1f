// Package catalog declares what a node knows about content: where each chunk
// lives, which roots are pinned under which names, the journal of chunks a
// download has already verified, and the peers remembered as bad. It
// declares the Store interface; node/store implements it on Badger and
// node/store/storetest in memory.
package catalog

import (
	"context"
	"errors"
	"time"

	"github.com/ipfs/go-cid"
)

// Errors returned by every Store implementation.
var (
	// ErrNotFound: the store holds no such chunk, block, pin, journal or ban.
	ErrNotFound = errors.New("catalog: not found")
	// ErrStale: the chunk was referenced in place and its file changed (size,
	// mtime or content) since it was added; the location has been dropped.
	ErrStale = errors.New("catalog: source file changed since it was added")
)

// LocationKind says where a chunk's bytes are kept.
type LocationKind uint8

const (
	// InPlace chunks are read from a user's file that was added in place (not copied).
	InPlace LocationKind = 1
	// Blob chunks are kept in the blob store inside the repo.
	Blob LocationKind = 2
	// Partial chunks are in a file a download is still writing: verified on
	// every read, but the file's size and mtime are not checked (they
	// change as the download runs). A download that finishes renames the
	// file, so these locations go stale and are dropped when next read.
	Partial LocationKind = 3
)

// Location is one place a chunk's bytes can be read from.
type Location struct {
	Kind     LocationKind
	Path     string // absolute path of the file, for InPlace
	Offset   int64  // byte offset of the chunk in that file
	Size     int    // chunk length in bytes
	FileSize int64  // size of the file when it was added (InPlace)
	ModTime  int64  // mtime of the file in Unix nanoseconds when it was added (InPlace)
}

// ChunkLocation pairs a chunk CID with one of its locations.
type ChunkLocation struct {
	CID cid.Cid
	Loc Location
}

// Pin is a root kept by the node under a name.
type Pin struct {
	Name  string
	Root  cid.Cid
	Added time.Time
}

// Ban remembers a peer that served bad data, so that later downloads skip
// it until Until. The store keeps what it is given; the node decides what
// has expired.
type Ban struct {
	Peer   string    // the peer ID in its text form
	Reason string    // why, for people
	Time   time.Time // when it was caught
	Until  time.Time // when the ban ends
}

// Stats summarises a store's contents.
type Stats struct {
	Chunks    int64 // chunk CIDs with at least one location
	Blobs     int64 // blocks in the blob store
	BlobBytes int64
	Pins      int64
	Journals  int64 // downloads with a journal (unfinished or not yet cleaned up)
}

// Store is the node's persistent index. Implementations are safe for
// concurrent use.
type Store interface {
	// PutLocations records locations of chunks (one batch, atomic). A chunk
	// may have several locations; an identical location is stored once.
	PutLocations(ctx context.Context, locs []ChunkLocation) error
	// Locations lists the known locations of a chunk, or ErrNotFound.
	Locations(ctx context.Context, c cid.Cid) ([]Location, error)
	// HasChunk reports whether any location (or blob) is recorded for c.
	HasChunk(ctx context.Context, c cid.Cid) (bool, error)
	// ReadChunk returns the verified bytes of chunk c from any of its
	// locations. In-place locations whose file changed (size, mtime or
	// content) are dropped; if none is left it returns an error wrapping
	// ErrStale, or ErrNotFound if nothing was ever recorded.
	ReadChunk(ctx context.Context, c cid.Cid) ([]byte, error)

	// PutBlock stores a block in the blob store after verifying it against c.
	PutBlock(ctx context.Context, c cid.Cid, data []byte) error
	// GetBlock returns a block from the blob store, or ErrNotFound.
	GetBlock(ctx context.Context, c cid.Cid) ([]byte, error)

	// AddPin records (or replaces) a named pin.
	AddPin(ctx context.Context, p Pin) error
	// RemovePin deletes a pin by name, or returns ErrNotFound.
	RemovePin(ctx context.Context, name string) error
	// Pins lists pins sorted by name.
	Pins(ctx context.Context) ([]Pin, error)

	// JournalAdd marks chunk indexes of a download as verified and written.
	JournalAdd(ctx context.Context, downloadID string, idx []uint64) error
	// JournalLoad returns the verified chunk indexes of a download (empty,
	// not an error, if there is no journal).
	JournalLoad(ctx context.Context, downloadID string) ([]uint64, error)
	// JournalDelete forgets a download's journal.
	JournalDelete(ctx context.Context, downloadID string) error

	// PutBan records (or replaces) the ban of b.Peer.
	PutBan(ctx context.Context, b Ban) error
	// GetBan returns the ban of a peer, expired or not, or ErrNotFound.
	GetBan(ctx context.Context, peer string) (Ban, error)
	// Bans lists every recorded ban, expired or not, sorted by peer.
	Bans(ctx context.Context) ([]Ban, error)
	// RemoveBan forgets a peer's ban, or returns ErrNotFound.
	RemoveBan(ctx context.Context, peer string) error

	// PutEndpoints records the HTTP(S) URLs serving root's bytes (the
	// file, or the base of the tree), replacing those recorded before; an
	// empty list forgets them. At most 16 distinct http/https URLs.
	PutEndpoints(ctx context.Context, root cid.Cid, urls []string) error
	// Endpoints lists the URLs recorded for root, in the order recorded
	// (empty, not an error, when none).
	Endpoints(ctx context.Context, root cid.Cid) ([]string, error)

	Stats(ctx context.Context) (Stats, error)
	Close() error
}
