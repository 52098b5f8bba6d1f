package node_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/swarm-project/swarm/node"
	"github.com/swarm-project/swarm/node/apitype"
	"github.com/swarm-project/swarm/node/nodetest"
)

// With only a trustless gateway, and no peer: the manifest and every chunk
// come from the gateway, verified.
func TestGetFromGatewayOnly(t *testing.T) {
	a, b := nodetest.New(t), nodetest.New(t)
	src, root := addTree(t, a)
	gw := nodetest.Gateway(t, a.Store())
	ls, err := b.Ls(context.Background(), root, nil, []string{gw.URL})
	if err != nil || len(ls.Entries) == 0 {
		t.Fatalf("ls through the gateway: %v", err)
	}
	dest := filepath.Join(t.TempDir(), "copy")
	res, err := b.Get(context.Background(), apitype.GetRequest{CID: root, Out: dest, Gateways: []string{gw.URL}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	nodetest.SameTree(t, src, dest)
	if s := res.Sources[len(res.Sources)-1]; !strings.HasPrefix(s.Name, "gateway ") || s.Bytes != res.Total {
		t.Fatalf("sources: %+v", res.Sources)
	}
}

// A gateway that does not have the root: a clear "not found" naming it,
// not a hang; a malformed gateway URL is a usage error.
func TestGatewayWithoutTheRoot(t *testing.T) {
	a, b := nodetest.New(t), nodetest.New(t)
	_, root := addTree(t, a)
	empty := nodetest.Gateway(t, b.Store())
	_, err := b.Get(context.Background(), apitype.GetRequest{CID: root, Out: filepath.Join(t.TempDir(), "x"), Gateways: []string{empty.URL}}, nil)
	if e := node.APIError(err); e == nil || e.Code != apitype.CodeNotFound || !strings.Contains(e.Message, "gateway http://") || !strings.Contains(e.Message, "404") {
		t.Fatalf("got %v", err)
	}
	_, err = b.Get(context.Background(), apitype.GetRequest{CID: root, Out: filepath.Join(t.TempDir(), "y"), Gateways: []string{"file:///etc"}}, nil)
	if e := node.APIError(err); e == nil || e.Code != apitype.CodeUsage {
		t.Fatalf("bad gateway URL: %v", err)
	}
}
