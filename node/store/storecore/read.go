package storecore

import (
	"context"
	"errors"
	"fmt"

	"github.com/ipfs/go-cid"
	"github.com/swarm-project/swarm/catalog"
	"github.com/swarm-project/swarm/chunker"
)

// BlobGetter is the part of the blob store ReadChunk needs. Get returns
// verified bytes, an error wrapping catalog.ErrNotFound if there is no such
// blob, or another error (for instance a corrupted blob, which the blob store
// removes).
type BlobGetter interface {
	Get(c cid.Cid) ([]byte, error)
}

// ReadChunk returns the verified bytes of chunk c from the first usable
// location of locs, tried in order, else from the blob store.
//
// Every location found stale is passed to drop, which removes it from the
// index. If nothing could be read, the error joins the reasons: it wraps
// catalog.ErrStale if locations were dropped, and is catalog.ErrNotFound
// (wrapped) only if there was nothing to try at all.
func ReadChunk(ctx context.Context, c cid.Cid, locs []catalog.Location,
	blobs BlobGetter, drop func(catalog.Location) error) ([]byte, error) {
	var stale, failed []error
	triedBlob := false
	for _, loc := range locs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		triedBlob = triedBlob || loc.Kind == catalog.Blob
		data, err := readLocation(c, loc, blobs)
		switch {
		case err == nil:
			return data, nil
		case errors.Is(err, catalog.ErrStale):
			stale = append(stale, err)
			if err := drop(loc); err != nil {
				failed = append(failed, err)
			}
		default:
			failed = append(failed, err)
		}
	}
	if !triedBlob {
		data, err := blobs.Get(c)
		if err == nil {
			return data, nil
		}
		if !errors.Is(err, catalog.ErrNotFound) {
			failed = append(failed, err)
		}
	}
	if len(failed)+len(stale) == 0 {
		return nil, fmt.Errorf("%w: chunk %s", catalog.ErrNotFound, c)
	}
	return nil, errors.Join(append(failed, stale...)...)
}

// readLocation reads c from one location. A blob location whose blob is
// missing or was corrupted (and removed by the blob store) is stale.
func readLocation(c cid.Cid, loc catalog.Location, blobs BlobGetter) ([]byte, error) {
	switch loc.Kind {
	case catalog.InPlace, catalog.Partial:
		return ReadInPlace(c, loc)
	case catalog.Blob:
		data, err := blobs.Get(c)
		switch {
		case errors.Is(err, catalog.ErrNotFound):
			return nil, &StaleError{Path: "blob store", Reason: "block " + c.String() + " is missing"}
		case errors.Is(err, chunker.ErrHashMismatch):
			return nil, &StaleError{Path: "blob store", Reason: err.Error()}
		}
		return data, err
	default:
		return nil, &StaleError{Path: "index", Reason: fmt.Sprintf("unknown location kind %d", loc.Kind)}
	}
}
