package node_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/swarm-project/swarm/chunker"
	"github.com/swarm-project/swarm/node"
	"github.com/swarm-project/swarm/node/apiclient"
	"github.com/swarm-project/swarm/node/apitype"
	"github.com/swarm-project/swarm/node/nodetest"
	"github.com/swarm-project/swarm/swarm/fetch/fetchtest"
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

// mirror serves dir over HTTP on loopback and counts the requests; with
// corrupt, every body has a byte flipped.
func mirror(t *testing.T, dir string, corrupt bool) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	files := http.FileServer(http.Dir(dir))
	if corrupt {
		files = fetchtest.Flip(files)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

// seedWithEndpoint adds a tree on a new node, recording a mirror of it as
// an endpoint of the root (swarm add --endpoint).
func seedWithEndpoint(t *testing.T, corrupt bool) (seeder *node.Node, src, root string, srv *httptest.Server, hits *atomic.Int64) {
	t.Helper()
	seeder = nodetest.New(t)
	src = filepath.Join(t.TempDir(), "dataset")
	nodetest.WriteTree(t, src, chunker.DefaultChunkSize, 1)
	srv, hits = mirror(t, src, corrupt)
	res, err := seeder.Add(context.Background(), apitype.AddRequest{Path: src, Endpoints: []string{srv.URL + "/"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	eps, err := seeder.Endpoints(context.Background(), res.Root)
	if err != nil || len(eps.Endpoints) != 1 || eps.Endpoints[0] != srv.URL+"/" {
		t.Fatalf("recorded endpoints %+v, %v", eps, err)
	}
	return seeder, src, res.Root, srv, hits
}

func viaPeer(res *apitype.GetResult) []apitype.SourceStat {
	var out []apitype.SourceStat
	for _, s := range res.Sources {
		if strings.Contains(s.Name, "(via peer ") {
			out = append(out, s)
		}
	}
	return out
}

// getFromSeeder downloads root on a new node naming only the seeder, and
// checks the copy against src.
func getFromSeeder(t *testing.T, seeder *node.Node, root, src string, noPeerEndpoints bool) *apitype.GetResult {
	t.Helper()
	dest := filepath.Join(t.TempDir(), "copy")
	res, err := nodetest.New(t).Get(context.Background(), apitype.GetRequest{CID: root, Out: dest,
		Peers: []string{nodetest.Addr(t, seeder)}, NoPeerEndpoints: noPeerEndpoints}, nil)
	if err != nil {
		t.Fatal(err)
	}
	nodetest.SameTree(t, src, dest)
	return res
}

// A downloader that names only the seeder also pulls chunks from the
// endpoint the seeder recorded with the content.
func TestPeerAdvertisesEndpoint(t *testing.T) {
	a, src, root, srv, hits := seedWithEndpoint(t, false)
	res := getFromSeeder(t, a, root, src, false)
	adv := viaPeer(res)
	if len(adv) != 1 || !strings.HasPrefix(adv[0].Name, "http "+srv.URL) || adv[0].Bytes == 0 || hits.Load() == 0 {
		t.Fatalf("sources: %+v (mirror hits %d)", res.Sources, hits.Load())
	}
	// --no-peer-endpoints: the URL is not even asked for.
	hits.Store(0)
	if res := getFromSeeder(t, a, root, src, true); len(viaPeer(res)) != 0 || hits.Load() != 0 {
		t.Fatalf("with --no-peer-endpoints: %+v, %d hits", res.Sources, hits.Load())
	}
}

// An advertised endpoint that serves wrong bytes is dropped and named; the
// download completes from the seeder.
func TestAdvertisedEndpointLies(t *testing.T) {
	a, src, root, _, _ := seedWithEndpoint(t, true)
	res := getFromSeeder(t, a, root, src, false)
	if adv := viaPeer(res); len(adv) != 1 || !strings.Contains(adv[0].Dropped, "corrupt") {
		t.Fatalf("liar not dropped: %+v", res.Sources)
	}
}

// A hostile peer's URLs: other schemes are ignored, duplicates (with each
// other and with --endpoint) dropped, at most 8 taken, and a link-local
// address is never dialled. A peer that predates ENDPOINTS is no problem.
func TestHostilePeerEndpoints(t *testing.T) {
	files := map[string][]byte{"x/data.bin": make([]byte, 20*64<<10)}
	for i := range files["x/data.bin"] {
		files["x/data.bin"][i] = byte(i / 7)
	}
	root, blocks := nodetest.Content(t, "ds", files, 64<<10)
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "x/data.bin"), files["x/data.bin"], 0o644); err != nil {
		t.Fatal(err)
	}
	srv, _ := mirror(t, dir, false)
	// 16 URLs (the protocol's cap): 9 distinct http locations once the
	// other schemes, the user's own URL and query-only variants are out.
	urls := []string{"file:///etc/passwd", "ftp://" + srv.Listener.Addr().String() + "/", "http://169.254.169.254/latest/", srv.URL}
	for i := range 8 {
		urls = append(urls, fmt.Sprintf("%s/m%d/?sig=%d", srv.URL, i, i))
		if i < 4 {
			urls = append(urls, fmt.Sprintf("%s/m%d/?sig=x", srv.URL, i))
		}
	}
	hostile, old := nodetest.NewPeer(t, blocks), nodetest.NewPeer(t, blocks)
	hostile.SetEndpoints(urls)
	b := nodetest.New(t)
	res, err := b.Get(context.Background(), apitype.GetRequest{CID: root.String(), Out: filepath.Join(t.TempDir(), "out"),
		Peers: []string{hostile.Addr(), old.Addr()}, Endpoints: []string{srv.URL}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	adv := viaPeer(res)
	if len(adv) != 8 || !strings.Contains(adv[0].Name, "169.254.169.254") || adv[0].Bytes != 0 {
		t.Fatalf("advertised sources: %+v", adv)
	}
	for _, s := range adv {
		if strings.HasPrefix(s.Name, "http "+srv.URL+" ") || strings.Contains(s.Name, "file:") || strings.Contains(s.Name, "ftp:") {
			t.Errorf("should have been dropped: %s", s.Name)
		}
	}
}

// swarm endpoint add/rm/ls go through the API: edits keep order, skip
// duplicates, forget quietly, and refuse what cannot be advertised.
func TestEndpointsThroughAPI(t *testing.T) {
	n := nodetest.New(t)
	_, root := addTree(t, n)
	ep, err := n.ServeAPI("127.0.0.1:0", false)
	if err != nil {
		t.Fatal(err)
	}
	c, ctx := apiclient.New(ep.Addr, ep.Token), context.Background()
	edit := func(req apitype.EndpointsRequest) ([]string, error) {
		out, err := c.EditEndpoints(ctx, root, req)
		if err != nil {
			return nil, err
		}
		return out.Endpoints, nil
	}
	got, err := edit(apitype.EndpointsRequest{Add: []string{"https://a.example/", "http://b.example/", "https://a.example/"}})
	if err != nil || strings.Join(got, " ") != "https://a.example/ http://b.example/" {
		t.Fatalf("add: %q, %v", got, err)
	}
	if got, err = edit(apitype.EndpointsRequest{Remove: []string{"https://a.example/", "http://never.example/"}}); err != nil || len(got) != 1 {
		t.Fatalf("rm: %q, %v", got, err)
	}
	if ls, err := c.Endpoints(ctx, root); err != nil || strings.Join(ls.Endpoints, " ") != "http://b.example/" || ls.Root != root {
		t.Fatalf("ls: %+v, %v", ls, err)
	}
	many := make([]string, 16)
	for i := range many {
		many[i] = fmt.Sprintf("http://m%d.example/", i)
	}
	for _, bad := range [][]string{{"file:///etc/passwd"}, {"http://x/" + strings.Repeat("p", 2048)}, many} {
		if _, err := edit(apitype.EndpointsRequest{Add: bad}); node.APIError(err).Code != apitype.CodeUsage {
			t.Errorf("add %.40q: %v", bad, err)
		}
	}
	if _, err := c.Endpoints(ctx, "not-a-cid"); node.APIError(err).Code != apitype.CodeUsage {
		t.Errorf("bad CID: %v", err)
	}
}
