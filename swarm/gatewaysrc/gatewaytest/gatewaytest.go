// Package gatewaytest serves blocks the way an IPFS trustless gateway does
// (GET /ipfs/{cid}?format=raw, or Accept: application/vnd.ipld.raw), from
// whatever a test hands it: a map, a node's store.
package gatewaytest

import (
	"context"
	"net/http"
	"strings"

	"github.com/ipfs/go-cid"
)

// RawType is the media type of a raw block.
const RawType = "application/vnd.ipld.raw"

// Lookup returns a block's bytes, or ok false when it has none.
type Lookup func(ctx context.Context, c cid.Cid) (data []byte, ok bool)

// Handler answers block requests from lookup: 200 with the bytes, 404
// for a block it does not have, 400 for a bad CID or a request that does
// not ask for a raw block (this gateway serves nothing deserialised).
func Handler(lookup Lookup) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, ok := strings.CutPrefix(r.URL.Path, "/ipfs/")
		c, err := cid.Decode(s)
		if !ok || err != nil {
			http.Error(w, "want /ipfs/{cid}", http.StatusBadRequest)
			return
		}
		if r.URL.Query().Get("format") != "raw" && !strings.Contains(r.Header.Get("Accept"), RawType) {
			http.Error(w, "only raw blocks here", http.StatusBadRequest)
			return
		}
		data, ok := lookup(r.Context(), c)
		if !ok {
			http.Error(w, "block not found", http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", RawType)
		w.Header().Set("Content-Disposition", `attachment; filename="`+c.String()+`.bin"`)
		_, _ = w.Write(data)
	})
}

// Map is a Lookup over a map.
func Map(blocks map[cid.Cid][]byte) Lookup {
	return func(_ context.Context, c cid.Cid) ([]byte, bool) {
		b, ok := blocks[c]
		return b, ok
	}
}
