package nodetest

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/ipfs/go-cid"

	"github.com/swarm-project/swarm/catalog"
	"github.com/swarm-project/swarm/swarm/gatewaysrc/gatewaytest"
)

// Gateway starts an IPFS trustless gateway on loopback serving the chunks
// and blocks of st (a node's store), closed at test end.
func Gateway(t testing.TB, st catalog.Store) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(gatewaytest.Handler(func(ctx context.Context, c cid.Cid) ([]byte, bool) {
		if b, err := st.ReadChunk(ctx, c); err == nil {
			return b, true
		}
		b, err := st.GetBlock(ctx, c)
		return b, err == nil
	}))
	t.Cleanup(srv.Close)
	return srv
}
