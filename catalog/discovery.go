package catalog

import (
	"context"
	"errors"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
)

// ErrNoProviders is returned by Discovery.FindProviders when the search
// ended (the lookup ran out of peers to ask, or the context ended) without
// finding any peer that announced the root. When the context ended, the
// error also wraps the context's error.
var ErrNoProviders = errors.New("catalog: no providers found")

// Discovery finds peers that hold a root and announces the roots this node holds.
type Discovery interface {
	// Provide announces that this node can serve root (and its manifest blocks). Called for roots only, never per chunk.
	Provide(ctx context.Context, root cid.Cid) error
	// FindProviders returns up to limit peers (with addresses) that announced root, searching until ctx ends or limit is reached.
	FindProviders(ctx context.Context, root cid.Cid, limit int) ([]peer.AddrInfo, error)
	Close() error
}
