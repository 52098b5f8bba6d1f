package node_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ipfs/go-cid"

	"github.com/swarm-project/swarm/chunker"
	"github.com/swarm-project/swarm/chunker/manifest"
	"github.com/swarm-project/swarm/node"
	"github.com/swarm-project/swarm/node/apiclient"
	"github.com/swarm-project/swarm/node/apitype"
	"github.com/swarm-project/swarm/node/nodetest"
	"github.com/swarm-project/swarm/ratectl"
	rcp2p "github.com/swarm-project/swarm/ratectl/p2p"
	"github.com/swarm-project/swarm/swarm/fetch"
)

func addTree(t *testing.T, n *node.Node) (string, string) {
	t.Helper()
	src := filepath.Join(t.TempDir(), "dataset")
	nodetest.WriteTree(t, src, chunker.DefaultChunkSize, 1)
	res, err := n.Add(context.Background(), apitype.AddRequest{Path: src}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return src, res.Root
}

func TestAddGetBetweenNodes(t *testing.T) {
	a, b := nodetest.New(t), nodetest.New(t)
	src, root := addTree(t, a)
	dest := filepath.Join(t.TempDir(), "copy")
	res, err := b.Get(context.Background(), apitype.GetRequest{CID: root, Out: dest, Peers: []string{nodetest.Addr(t, a)}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	nodetest.SameTree(t, src, dest)
	if res.Bytes != res.Total || res.Total == 0 {
		t.Fatalf("fetched %d of %d bytes", res.Bytes, res.Total)
	}
	conns := b.Host().Network().ConnsToPeer(a.Host().ID())
	if len(conns) == 0 || !rcp2p.IsAddr(conns[0].RemoteMultiaddr()) {
		t.Fatalf("chunks did not travel over swarmrc: %v", conns)
	}
	// B now serves what it fetched: a third node gets it from B alone.
	c := nodetest.New(t)
	dest2 := filepath.Join(t.TempDir(), "copy2")
	if _, err := c.Get(context.Background(), apitype.GetRequest{CID: root, Out: dest2, Peers: []string{nodetest.Addr(t, b)}}, nil); err != nil {
		t.Fatal(err)
	}
	nodetest.SameTree(t, src, dest2)
	// Same root for the same tree, on any node.
	if _, again := addTree(t, c); again != root {
		t.Fatalf("same tree gave %s then %s", root, again)
	}
}

func TestSingleFileRoot(t *testing.T) {
	a, b := nodetest.New(t), nodetest.New(t)
	f := filepath.Join(t.TempDir(), "file.bin")
	data := make([]byte, 3*chunker.DefaultChunkSize+5)
	for i := range data {
		data[i] = byte(i * 7)
	}
	if err := os.WriteFile(f, data, 0o640); err != nil {
		t.Fatal(err)
	}
	res, err := a.Add(context.Background(), apitype.AddRequest{Path: f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "out.bin")
	if _, err := b.Get(context.Background(), apitype.GetRequest{CID: res.Root, Out: dest, Peers: []string{nodetest.Addr(t, a)}}, nil); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(dest)
	if err != nil || string(got) != string(data) {
		t.Fatalf("single file differs (err %v)", err)
	}
	if fi, _ := os.Stat(dest); fi.Mode().Perm() != 0o640 {
		t.Fatalf("mode %v", fi.Mode().Perm())
	}
}

// A peer that flips a byte is caught, dropped and named; the download
// completes from an honest peer and nothing corrupt is written.
func TestCorruptPeerDropped(t *testing.T) {
	files := map[string][]byte{"x/data.bin": make([]byte, 20*64<<10)}
	for i := range files["x/data.bin"] {
		files["x/data.bin"][i] = byte(i / 3)
	}
	root, blocks := nodetest.Content(t, "ds", files, 64<<10)
	liar := nodetest.NewPeer(t, blocks)
	liar.SetCorrupt(func(c cid.Cid) bool { return c.Prefix().Codec == cid.Raw })
	honest := nodetest.NewPeer(t, blocks)
	honest.SetDelay(20 * time.Millisecond) // let the liar be asked first
	b := nodetest.New(t)
	dest := filepath.Join(t.TempDir(), "out")
	res, err := b.Get(context.Background(), apitype.GetRequest{CID: root.String(), Out: dest,
		Peers: []string{liar.Addr(), honest.Addr()}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(filepath.Join(dest, "x/data.bin"))
	if string(got) != string(files["x/data.bin"]) {
		t.Fatal("output differs")
	}
	dropped := false
	for _, s := range res.Sources {
		if strings.Contains(s.Name, liar.Host.ID().String()) && strings.Contains(s.Dropped, "corrupt") {
			dropped = true
		}
	}
	if !dropped {
		t.Fatalf("liar not named as dropped: %+v", res.Sources)
	}
}

// With only a lying peer the download fails clearly and nothing appears
// at the destination.
func TestOnlyLiarFails(t *testing.T) {
	root, blocks := nodetest.Content(t, "ds", map[string][]byte{"f": []byte("hello world")}, 64<<10)
	liar := nodetest.NewPeer(t, blocks)
	liar.SetCorrupt(func(c cid.Cid) bool { return c.Prefix().Codec == cid.Raw })
	b := nodetest.New(t)
	dest := filepath.Join(t.TempDir(), "out")
	_, err := b.Get(context.Background(), apitype.GetRequest{CID: root.String(), Out: dest, Peers: []string{liar.Addr()}}, nil)
	if !errors.Is(err, fetch.ErrUnavailable) {
		t.Fatalf("want ErrUnavailable, got %v", err)
	}
	if node.APIError(err).Code != apitype.CodeNotFound {
		t.Fatalf("code %s", node.APIError(err).Code)
	}
	if _, err := os.Lstat(dest); !os.IsNotExist(err) {
		t.Fatal("destination exists after a failed download")
	}
}

func TestBadRequests(t *testing.T) {
	a := nodetest.New(t)
	_, root := addTree(t, a)
	ctx := context.Background()
	raw := chunker.ChunkCID([]byte("x")).String()
	cases := []struct {
		name string
		req  apitype.GetRequest
		code string
		is   error
	}{
		{"raw chunk CID", apitype.GetRequest{CID: raw, Out: filepath.Join(t.TempDir(), "o")}, apitype.CodeInvalid, manifest.ErrNotManifest},
		{"not a CID", apitype.GetRequest{CID: "hello", Out: filepath.Join(t.TempDir(), "o")}, apitype.CodeUsage, node.ErrBadRequest},
		{"relative dest", apitype.GetRequest{CID: root, Out: "rel"}, apitype.CodeUsage, node.ErrBadRequest},
		{"dest exists", apitype.GetRequest{CID: root, Out: t.TempDir()}, apitype.CodeIO, fetch.ErrDestExists},
		{"bad peer", apitype.GetRequest{CID: root, Out: filepath.Join(t.TempDir(), "o"), Peers: []string{"/ip4/127.0.0.1/tcp/1"}}, apitype.CodeUsage, node.ErrBadRequest},
	}
	for _, tc := range cases {
		_, err := a.Get(ctx, tc.req, nil)
		if !errors.Is(err, tc.is) || node.APIError(err).Code != tc.code {
			t.Errorf("%s: got %v (code %s), want %v (%s)", tc.name, err, node.APIError(err).Code, tc.is, tc.code)
		}
	}
}

// A manifest nobody has: a clear error, not a hang.
func TestUnknownRoot(t *testing.T) {
	a, b := nodetest.New(t), nodetest.New(t)
	root, _ := nodetest.Content(t, "ds", map[string][]byte{"f": []byte("never added")}, 64<<10)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := b.Get(ctx, apitype.GetRequest{CID: root.String(), Out: filepath.Join(t.TempDir(), "o"), Peers: []string{nodetest.Addr(t, a)}}, nil)
	if node.APIError(err).Code != apitype.CodeNotFound {
		t.Fatalf("got %v", err)
	}
}

// Hostile manifests are rejected before anything is written.
func TestHostileManifestRejected(t *testing.T) {
	b := nodetest.New(t)
	for _, path := range []string{"../x", "/etc", "a/../../b", "a\x00b", "./x"} {
		root, blocks := nodetest.HostileManifest(t, path)
		evil := nodetest.NewPeer(t, blocks)
		parent := t.TempDir()
		_, err := b.Get(context.Background(), apitype.GetRequest{CID: root.String(),
			Out: filepath.Join(parent, "out"), Peers: []string{evil.Addr()}}, nil)
		if !errors.Is(err, manifest.ErrInvalid) || node.APIError(err).Code != apitype.CodeInvalid {
			t.Errorf("%q: got %v", path, err)
		}
		if ents, _ := os.ReadDir(parent); len(ents) != 0 {
			t.Errorf("%q: wrote %v", path, ents)
		}
	}
}

// mountTmpfs mounts a small tmpfs (root only) for full-disk and read-only tests.
func mountTmpfs(t *testing.T, opts string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to mount a tmpfs")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", opts, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", dir).Run() })
	return dir
}

// Local filesystem problems are reported as such (exit code class io),
// name the path, and leave nothing half-written under the destination.
func TestDestinationProblems(t *testing.T) {
	a, b := nodetest.New(t), nodetest.New(t)
	_, root := addTree(t, a)
	peer := []string{nodetest.Addr(t, a)}
	file := filepath.Join(t.TempDir(), "plain-file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	small := mountTmpfs(t, "size=1m")
	ro := mountTmpfs(t, "ro,size=64m")
	cases := []struct {
		name, out, want string
	}{
		{"parent is a file", filepath.Join(file, "out"), "not a directory"},
		{"disk too small", filepath.Join(small, "out"), "not enough free space"},
		{"read-only filesystem", filepath.Join(ro, "out"), "read-only"},
	}
	for _, tc := range cases {
		_, err := b.Get(context.Background(), apitype.GetRequest{CID: root, Out: tc.out, Peers: peer}, nil)
		if node.APIError(err).Code != apitype.CodeIO || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v (code %s)", tc.name, err, node.APIError(err).Code)
		}
		if _, err := os.Lstat(tc.out); err == nil {
			t.Errorf("%s: destination exists", tc.name)
		}
	}
}

// A named peer that cannot be reached is named in the error.
func TestUnreachablePeer(t *testing.T) {
	root, blocks := nodetest.Content(t, "ds", map[string][]byte{"f": []byte("data")}, 64<<10)
	gone := nodetest.NewPeer(t, blocks)
	addr := gone.Addr()
	gone.Host.Close()
	b := nodetest.New(t)
	_, err := b.Get(context.Background(), apitype.GetRequest{CID: root.String(), Out: filepath.Join(t.TempDir(), "o"), Peers: []string{addr}}, nil)
	if node.APIError(err).Code != apitype.CodeNotFound || !strings.Contains(err.Error(), "unreachable peers") {
		t.Fatalf("got %v", err)
	}
}

// The API refuses requests without the token, and the client works with it.
func TestAPIToken(t *testing.T) {
	n := nodetest.New(t)
	ep, err := n.ServeAPI("127.0.0.1:0", false)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := apiclient.New(ep.Addr, "wrong").ID(ctx); err == nil || !strings.Contains(err.Error(), "token") {
		t.Fatalf("wrong token accepted: %v", err)
	}
	id, err := apiclient.New(ep.Addr, ep.Token).ID(ctx)
	if err != nil || id.ID != n.ID().ID {
		t.Fatalf("id %v %v", id, err)
	}
}

// A file changed after add is no longer served: the peer answers "not
// found" instead of sending bytes that no longer match.
func TestChangedFileNotServed(t *testing.T) {
	a, b := nodetest.New(t), nodetest.New(t)
	f := filepath.Join(t.TempDir(), "f.bin")
	if err := os.WriteFile(f, []byte(strings.Repeat("a", 100000)), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := a.Add(context.Background(), apitype.AddRequest{Path: f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f, []byte(strings.Repeat("b", 100000)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = b.Get(context.Background(), apitype.GetRequest{CID: res.Root, Out: filepath.Join(t.TempDir(), "o"), Peers: []string{nodetest.Addr(t, a)}}, nil)
	if !errors.Is(err, fetch.ErrUnavailable) {
		t.Fatalf("got %v", err)
	}
}

// Peers and an HTTP mirror together; the mirror serves the added tree.
func TestGetFromPeerAndHTTPEndpoint(t *testing.T) {
	a, b := nodetest.New(t), nodetest.New(t)
	src, root := addTree(t, a)
	srv := httptest.NewServer(http.FileServer(http.Dir(src)))
	defer srv.Close()
	dest := filepath.Join(t.TempDir(), "copy")
	res, err := b.Get(context.Background(), apitype.GetRequest{CID: root, Out: dest,
		Peers: []string{nodetest.Addr(t, a)}, Endpoints: []string{srv.URL}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	nodetest.SameTree(t, src, dest)
	var sum int64
	for _, s := range res.Sources {
		sum += s.Bytes
	}
	// local, the peer's push, the peer, the endpoint.
	if sum != res.Total || len(res.Sources) != 4 || !strings.HasPrefix(res.Sources[3].Name, "http ") {
		t.Fatalf("sources: %+v", res.Sources)
	}
	if _, err := b.Get(context.Background(), apitype.GetRequest{CID: root, Out: filepath.Join(t.TempDir(), "x"),
		Endpoints: []string{"ftp://nope"}}, nil); node.APIError(err).Code != apitype.CodeUsage {
		t.Fatalf("bad endpoint: %v", err)
	}
}

// The same over plain TCP and QUIC addresses (peers without swarmrc).
func TestGetOverTCPAndQUIC(t *testing.T) {
	a := nodetest.New(t)
	src, root := addTree(t, a)
	for _, tr := range []string{"/tcp/", "/quic-v1/"} {
		b := nodetest.New(t)
		dest := filepath.Join(t.TempDir(), "copy")
		if _, err := b.Get(context.Background(), apitype.GetRequest{CID: root, Out: dest, Peers: []string{nodetest.AddrOf(t, a, tr)}}, nil); err != nil {
			t.Fatalf("%s: %v", tr, err)
		}
		nodetest.SameTree(t, src, dest)
	}
}

// swarm get --policy/--rate: the seeder sends this download with the
// requested policy, the target capped by its own --max-upload-rate.
func TestGetRequestsRate(t *testing.T) {
	repo := nodetest.TestingConfig(t)
	a, err := node.New(node.Options{Repo: repo, Log: nodetest.Logger(t),
		RateControl: ratectl.Config{Policy: ratectl.Fair, TargetRate: 50e6}})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	f := filepath.Join(t.TempDir(), "f.bin")
	if err := os.WriteFile(f, make([]byte, 1<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := a.Add(context.Background(), apitype.AddRequest{Path: f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	b := nodetest.New(t)
	req := apitype.GetRequest{CID: res.Root, Out: filepath.Join(t.TempDir(), "o"), Peers: []string{nodetest.Addr(t, a)},
		Policy: "fixed", Rate: 100e6}
	if _, err := b.Get(context.Background(), req, nil); err != nil {
		t.Fatal(err)
	}
	st, _ := a.Status(context.Background())
	if len(st.Sessions) != 1 || st.Sessions[0].Policy != "fixed" || st.Sessions[0].RateMbps > 50e6*8/1e6*1.01 { // a data rate; the pacing rate adds the headers
		t.Fatalf("seeder sessions: %+v", st.Sessions)
	}
	if tot := st.SessionTotals; tot.BytesSent < 1<<20 || tot.BytesRetrans > tot.BytesSent {
		t.Fatalf("seeder session totals: %+v, want at least the 1 MiB file sent", tot)
	}
	// A later download that asks for nothing gets the seeder's own
	// settings back: the connection is the same (found by review: it kept
	// the earlier download's fixed rate).
	plain := apitype.GetRequest{CID: res.Root, Out: filepath.Join(t.TempDir(), "o3"), Peers: req.Peers}
	if _, err := b.Get(context.Background(), plain, nil); err != nil {
		t.Fatal(err)
	}
	// The request goes out with the manifest's and is not waited for.
	for i := 0; ; i++ {
		st, _ := a.Status(context.Background())
		if len(st.Sessions) == 1 && st.Sessions[0].Policy == "fair" {
			break
		}
		if i == 100 {
			t.Fatalf("seeder sessions after a download that asked for nothing: %+v", st.Sessions)
		}
		time.Sleep(20 * time.Millisecond)
	}
	bad := req
	bad.Policy, bad.Out = "turbo", filepath.Join(t.TempDir(), "o2")
	if _, err := b.Get(context.Background(), bad, nil); node.APIError(err).Code != apitype.CodeUsage {
		t.Fatalf("bad policy: %v", err)
	}
}

// A node serves what its own running download has verified: C pulls from
// B while B's seeder is stalled half way, so B cannot have finished.
func TestServeWhileDownloading(t *testing.T) {
	data := make([]byte, 200*64<<10)
	for i := range data {
		data[i] = byte(i * 7 / 5)
	}
	for i := 0; i < len(data); i += 64 << 10 {
		data[i] = byte(i >> 16) // every chunk distinct
	}
	root, blocks := nodetest.Content(t, "ds", map[string][]byte{"big.bin": data}, 64<<10)
	stalling := nodetest.NewPeer(t, blocks)
	release := make(chan struct{})
	defer func() {
		select {
		case <-release:
		default:
			close(release)
		}
	}()
	stalling.PauseAfter(100, release)
	other := nodetest.NewPeer(t, blocks)
	b, c := nodetest.New(t), nodetest.New(t)
	bDone := make(chan error, 1)
	go func() {
		_, err := b.Get(context.Background(), apitype.GetRequest{CID: root.String(), Out: filepath.Join(t.TempDir(), "b"), Peers: []string{stalling.Addr()}}, nil)
		bDone <- err
	}()
	for stalling.Served.Load() < 100 {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // B journals (every 100 ms) and indexes what it has
	dest := filepath.Join(t.TempDir(), "c")
	other.SetDelay(5 * time.Millisecond)
	res, err := c.Get(context.Background(), apitype.GetRequest{CID: root.String(), Out: dest, Peers: []string{nodetest.Addr(t, b), other.Addr()}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-bDone:
		t.Fatalf("B finished while its seeder was stalled: %v", err)
	default:
	}
	close(release)
	if err := <-bDone; err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(filepath.Join(dest, "big.bin"))
	if string(got) != string(data) {
		t.Fatal("C's copy differs")
	}
	if bytesFrom(res, b.ID().ID) == 0 {
		t.Fatalf("C got nothing from B while B was downloading: %+v", res.Sources)
	}
}

// C's only source is B, itself half way through its download: C takes what
// B has, waits for B's have-map to grow, and completes when B does.
func TestDownloadFromGrowingPeer(t *testing.T) {
	data := make([]byte, 120*64<<10)
	for i := range data {
		data[i] = byte(i*13 + i>>16)
	}
	root, blocks := nodetest.Content(t, "ds", map[string][]byte{"big.bin": data}, 64<<10)
	seeder := nodetest.NewPeer(t, blocks)
	release := make(chan struct{})
	seeder.PauseAfter(60, release)
	b, c := nodetest.New(t), nodetest.New(t)
	bDone := make(chan error, 1)
	go func() {
		_, err := b.Get(context.Background(), apitype.GetRequest{CID: root.String(), Out: filepath.Join(t.TempDir(), "b"), Peers: []string{seeder.Addr()}}, nil)
		bDone <- err
	}()
	for seeder.Served.Load() < 60 {
		time.Sleep(10 * time.Millisecond)
	}
	time.AfterFunc(3*time.Second, func() { close(release) })
	dest := filepath.Join(t.TempDir(), "c")
	res, err := c.Get(context.Background(), apitype.GetRequest{CID: root.String(), Out: dest, Peers: []string{nodetest.Addr(t, b)}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := <-bDone; err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(filepath.Join(dest, "big.bin"))
	if string(got) != string(data) || bytesFrom(res, b.ID().ID) != int64(len(data)) {
		t.Fatalf("C's copy differs or not all from B: %+v", res.Sources)
	}
}

// Discovery: C names no peer; it joins the private DHT through B and finds
// A, which announced the root when it added it.
func TestGetFindsProvidersInDHT(t *testing.T) {
	a := nodetest.New(t)
	newWithBootstrap := func(boot string) *node.Node {
		n, err := node.New(node.Options{Repo: nodetest.TestingConfig(t), Log: nodetest.Logger(t), Bootstrap: []string{boot}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { n.Close() })
		return n
	}
	b := newWithBootstrap(nodetest.AddrOf(t, a, "/tcp/"))
	c := newWithBootstrap(nodetest.AddrOf(t, b, "/tcp/"))
	src, root := addTree(t, a)
	deadline := time.Now().Add(30 * time.Second)
	for {
		dest := filepath.Join(t.TempDir(), "copy")
		res, err := c.Get(context.Background(), apitype.GetRequest{CID: root, Out: dest}, nil)
		if err == nil {
			nodetest.SameTree(t, src, dest)
			if len(res.Sources) < 2 || bytesFrom(res, "peer ") == 0 {
				t.Fatalf("sources %+v", res.Sources)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("C never found the root through the DHT: %v", err)
		}
		time.Sleep(500 * time.Millisecond) // the announcement may still be on its way
	}
}

// A seeder with a small transport budget still serves a file larger than
// it, holding no more than the budget (plus one connection's floors) in
// its send buffers, and reports the budget in its status.
func TestTransportMemoryBudget(t *testing.T) {
	const budget = 1 << 20
	repo := nodetest.TestingConfig(t)
	a, err := node.New(node.Options{Repo: repo, Log: nodetest.Logger(t), TransportMemory: budget})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	src := filepath.Join(t.TempDir(), "f.bin")
	data := make([]byte, 24<<20)
	for i := range data {
		data[i] = byte(i * 7 / 5)
	}
	if err := os.WriteFile(src, data, 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := a.Add(context.Background(), apitype.AddRequest{Path: src}, nil)
	if err != nil {
		t.Fatal(err)
	}
	b := nodetest.New(t)
	dest := filepath.Join(t.TempDir(), "o")
	if _, err := b.Get(context.Background(), apitype.GetRequest{CID: res.Root, Out: dest, Peers: []string{nodetest.Addr(t, a)}}, nil); err != nil {
		t.Fatal(err)
	}
	nodetest.SameTree(t, src, dest)
	st, _ := a.Status(context.Background())
	m := st.TransportMemory
	t.Logf("seeder transport memory: %+v", m)
	if m.Limit != budget || m.Peak == 0 || m.Peak > budget+512<<10 {
		t.Fatalf("seeder transport memory %+v, want limit %d and a peak within it plus 512 KiB", m, budget)
	}
}

// The first have query goes out with the manifest request, not a round
// trip after it: a peer that answers nothing until it has seen the have
// query still gets the whole download without holding a reply.
func TestHaveQueryTravelsWithTheManifestRequest(t *testing.T) {
	files := map[string][]byte{"f": bytes.Repeat([]byte("swarm "), 50000)}
	root, blocks := nodetest.Content(t, "ds", files, 64<<10)
	p := nodetest.NewPeer(t, blocks)
	p.HoldUntilHave(3 * time.Second)
	b := nodetest.New(t)
	dest := filepath.Join(t.TempDir(), "out")
	if _, err := b.Get(context.Background(), apitype.GetRequest{CID: root.String(), Out: dest, Peers: []string{p.Addr()}}, nil); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dest, "f")); !bytes.Equal(got, files["f"]) {
		t.Fatal("output differs")
	}
	if n := p.Unasked.Load(); n != 0 {
		t.Fatalf("%d replies waited for a have query that came only after them (the manifest's among them)", n)
	}
	if n := p.Haves.Load(); n != 1 {
		t.Fatalf("%d have queries, want 1: the early one's answer serves the fetch engine", n)
	}
}

// bytesFrom sums what the sources whose name contains name delivered: a
// peer's ID counts what it was asked for and what it pushed.
func bytesFrom(res *apitype.GetResult, name string) int64 {
	n := int64(0)
	for _, s := range res.Sources {
		if strings.Contains(s.Name, name) {
			n += s.Bytes
		}
	}
	return n
}

// Adding under a name another root holds moves the name, and says so
// (found by review: the earlier root silently lost its name).
func TestAddReportsAMovedName(t *testing.T) {
	a := nodetest.New(t)
	dir := t.TempDir()
	var roots []string
	for i, body := range []string{"one", "two", "two"} {
		f := filepath.Join(dir, "f"+strconv.Itoa(min(i, 1))) // the third adds the second again
		if err := os.WriteFile(f, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		res, err := a.Add(context.Background(), apitype.AddRequest{Path: f, Name: "tree"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		roots = append(roots, res.Root)
		want := ""
		if i == 1 {
			want = roots[0]
		}
		if res.Replaced != want {
			t.Errorf("add %d: replaced %q, want %q", i, res.Replaced, want)
		}
	}
}

// A get that asks for no rates leaves alone a peer whose rates another
// running get asked for (found by review: it reset them to the peer's own
// in the middle of the other download); once that get ends, the next one
// asks for the peer's own settings again.
func TestPlainGetKeepsARunningGetsRates(t *testing.T) {
	a, b := nodetest.New(t), nodetest.New(t)
	dir := t.TempDir()
	add := func(name string, size int) string {
		f := filepath.Join(dir, name)
		if err := os.WriteFile(f, bytes.Repeat([]byte(name), size/len(name)), 0o644); err != nil {
			t.Fatal(err)
		}
		res, err := a.Add(context.Background(), apitype.AddRequest{Path: f}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return res.Root
	}
	big, small, other := add("big", 6<<20), add("small", 1<<10), add("other", 1<<10)
	peers := []string{nodetest.Addr(t, a)}
	policy := func() string {
		st, _ := a.Status(context.Background())
		if len(st.Sessions) != 1 {
			return ""
		}
		return st.Sessions[0].Policy
	}
	slow := make(chan error, 1)
	go func() {
		_, err := b.Get(context.Background(), apitype.GetRequest{CID: big, Out: filepath.Join(dir, "o-big"), Peers: peers,
			Policy: "fixed", Rate: 2 << 20}, nil) // 3 s
		slow <- err
	}()
	for i := 0; policy() != "fixed"; i++ {
		if i == 200 {
			t.Fatal("the fixed-rate get never set its rate")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := b.Get(context.Background(), apitype.GetRequest{CID: small, Out: filepath.Join(dir, "o-small"), Peers: peers}, nil); err != nil {
		t.Fatal(err)
	}
	if got := policy(); got != "fixed" {
		t.Errorf("a plain get in the middle of a fixed-rate one left the peer at %q", got)
	}
	if err := <-slow; err != nil {
		t.Fatal(err)
	}
	if _, err := b.Get(context.Background(), apitype.GetRequest{CID: other, Out: filepath.Join(dir, "o-other"), Peers: peers}, nil); err != nil {
		t.Fatal(err)
	}
	for i := 0; policy() != "fair"; i++ {
		if i == 100 {
			t.Fatalf("after the fixed-rate get, a plain one left the peer at %q", policy())
		}
		time.Sleep(20 * time.Millisecond)
	}
}
