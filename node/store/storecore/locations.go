package storecore

import (
	"path/filepath"
	"slices"

	"github.com/ipfs/go-cid"
	"github.com/swarm-project/swarm/catalog"
	"github.com/swarm-project/swarm/chunker"
)

// MaxLocations is how many locations a store keeps per chunk. Adding one more
// drops the oldest.
const MaxLocations = 8

// MaxPathLen caps the path of an in-place location, in bytes.
const MaxPathLen = 4096

// ValidateLocation reports whether cl can be recorded: a defined CID, a known
// kind, and for in-place locations an absolute path and a chunk that lies
// inside the file. Errors wrap ErrInvalid.
func ValidateLocation(cl catalog.ChunkLocation) error {
	if !cl.CID.Defined() {
		return invalidf("location with an undefined CID")
	}
	l := cl.Loc
	if l.Size < 0 || l.Size > chunker.MaxChunkSize {
		return invalidf("chunk %s: size %d outside [0, %d]", cl.CID, l.Size, chunker.MaxChunkSize)
	}
	switch l.Kind {
	case catalog.Blob:
		return nil
	case catalog.InPlace, catalog.Partial:
		return validateInPlace(cl.CID, l)
	default:
		return invalidf("chunk %s: unknown location kind %d", cl.CID, l.Kind)
	}
}

func validateInPlace(c cid.Cid, l catalog.Location) error {
	switch {
	case len(l.Path) > MaxPathLen:
		return invalidf("chunk %s: path longer than %d bytes", c, MaxPathLen)
	case !filepath.IsAbs(l.Path):
		return invalidf("chunk %s: path %q is not absolute", c, l.Path)
	case l.Offset < 0 || l.FileSize < 0:
		return invalidf("chunk %s: negative offset or file size in %s", c, l.Path)
	case l.Offset > l.FileSize-int64(l.Size):
		return invalidf("chunk %s: %d bytes at offset %d do not fit in %s (%d bytes)",
			c, l.Size, l.Offset, l.Path, l.FileSize)
	}
	return nil
}

// sameSlot reports whether a and b name the same bytes of the same file (or
// both the blob store). A newer record of a slot replaces the older one: the
// file can only be in one state, so the older record is stale or identical.
func sameSlot(a, b catalog.Location) bool {
	return a.Kind == b.Kind && a.Path == b.Path && a.Offset == b.Offset
}

// MergeLocations returns have with add recorded as the newest location. A
// location for the same slot (kind, path, offset) is replaced, so identical
// locations are stored once; beyond MaxLocations the oldest are dropped.
// Locations are ordered oldest first. have is not modified.
func MergeLocations(have []catalog.Location, add catalog.Location) []catalog.Location {
	out := make([]catalog.Location, 0, min(len(have)+1, MaxLocations))
	for _, l := range have {
		if !sameSlot(l, add) {
			out = append(out, l)
		}
	}
	out = append(out, add)
	if len(out) > MaxLocations {
		out = out[len(out)-MaxLocations:]
	}
	return slices.Clip(out)
}

// RemoveLocation returns have without loc (compared field by field, so a
// newer record of the same slot survives). have is not modified.
func RemoveLocation(have []catalog.Location, loc catalog.Location) []catalog.Location {
	out := make([]catalog.Location, 0, len(have))
	for _, l := range have {
		if l != loc {
			out = append(out, l)
		}
	}
	return out
}

// ChunkGroup is the locations of one chunk within a batch, in batch order.
type ChunkGroup struct {
	CID  cid.Cid
	Locs []catalog.Location
}

// GroupByCID validates a batch and groups it by chunk, keeping the order in
// which each chunk first appears and the order of its locations. Nothing is
// returned if any location is invalid.
func GroupByCID(locs []catalog.ChunkLocation) ([]ChunkGroup, error) {
	index := make(map[cid.Cid]int, len(locs))
	var groups []ChunkGroup
	for _, cl := range locs {
		if err := ValidateLocation(cl); err != nil {
			return nil, err
		}
		i, ok := index[cl.CID]
		if !ok {
			i = len(groups)
			index[cl.CID] = i
			groups = append(groups, ChunkGroup{CID: cl.CID})
		}
		groups[i].Locs = append(groups[i].Locs, normalize(cl.Loc))
	}
	return groups, nil
}

// normalize clears the fields a blob location does not use, so that all
// blob locations of a chunk are one slot.
func normalize(l catalog.Location) catalog.Location {
	if l.Kind == catalog.Blob {
		return catalog.Location{Kind: catalog.Blob, Size: l.Size}
	}
	return l
}

// Apply merges a group's locations into have, in order.
func (g ChunkGroup) Apply(have []catalog.Location) []catalog.Location {
	for _, l := range g.Locs {
		have = MergeLocations(have, l)
	}
	return have
}
