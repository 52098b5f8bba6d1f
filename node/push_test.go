package node_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/network"

	"github.com/swarm-project/swarm/node"
	"github.com/swarm-project/swarm/node/apitype"
	"github.com/swarm-project/swarm/node/nodetest"
	"github.com/swarm-project/swarm/node/wire"
)

// pushBudgetChunks is how many default-size chunks a push covers (node's
// pushBudget is 1 MiB).
const pushBudgetChunks = 1

// pushStat returns the download's push source, if it had one.
func pushStat(res *apitype.GetResult) (apitype.SourceStat, bool) {
	for _, s := range res.Sources {
		if strings.HasPrefix(s.Name, "push from ") {
			return s, true
		}
	}
	return apitype.SourceStat{}, false
}

// A download from a swarm node gets the first chunks pushed with the
// manifest: they come from the push source, and the file is whole.
func TestFirstChunksArePushed(t *testing.T) {
	a, b := nodetest.New(t), nodetest.New(t)
	data := bytes.Repeat([]byte("pushed chunk bytes "), 500000) // 9.5 MB: 10 chunks, the first pushed
	f := filepath.Join(t.TempDir(), "f.bin")
	if err := os.WriteFile(f, data, 0o644); err != nil {
		t.Fatal(err)
	}
	added, err := a.Add(context.Background(), apitype.AddRequest{Path: f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "out")
	res, err := b.Get(context.Background(), apitype.GetRequest{CID: added.Root, Out: dest, Peers: []string{nodetest.Addr(t, a)}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(dest); !bytes.Equal(got, data) {
		t.Fatal("output differs")
	}
	ps, ok := pushStat(res)
	if !ok || ps.Chunks == 0 || ps.Dropped != "" {
		t.Fatalf("no chunk came from the push: %+v", res.Sources)
	}
	if ps.Chunks > pushBudgetChunks {
		t.Fatalf("push delivered %d chunks, more than its budget of %d", ps.Chunks, pushBudgetChunks)
	}
	t.Logf("%d of 10 chunks came from the push", ps.Chunks)
}

// A peer that does not push (it resets the PUSH stream, as nodes before
// PUSH do) still serves the whole download and is not held against it.
func TestNoPushFromAnOlderPeer(t *testing.T) {
	files := map[string][]byte{"f": bytes.Repeat([]byte("older peer "), 30000)}
	root, blocks := nodetest.Content(t, "ds", files, 64<<10)
	p := nodetest.NewPeer(t, blocks)
	res := getWhole(t, nodetest.New(t), root, files["f"], p.Addr())
	for _, s := range res.Sources {
		if s.Dropped != "" {
			t.Fatalf("a source was dropped: %+v", res.Sources)
		}
	}
	if ps, ok := pushStat(res); ok && ps.Chunks != 0 {
		t.Fatalf("push source delivered %d chunks from a peer that does not push", ps.Chunks)
	}
}

// getWhole downloads root from the peers at addrs with b, into a fresh
// directory, and checks that its file "f" is want.
func getWhole(t *testing.T, b *node.Node, root cid.Cid, want []byte, addrs ...string) *apitype.GetResult {
	t.Helper()
	dest := filepath.Join(t.TempDir(), "out")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := b.Get(ctx, apitype.GetRequest{CID: root.String(), Out: dest, Peers: addrs}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dest, "f")); !bytes.Equal(got, want) {
		t.Fatal("output differs")
	}
	return res
}

// A hostile first peer that answers PUSH with a flood of empty blocks
// outside the plan has its push ended at the first: nothing of the flood
// is kept (a version that stored every frame held 170 MiB for 10 MB of
// them), and the download completes.
func TestHostilePushFloodIsRefused(t *testing.T) {
	files := map[string][]byte{"f": bytes.Repeat([]byte("flood "), 50000)}
	root, blocks := nodetest.Content(t, "ds", files, 64<<10)
	p := nodetest.NewPeer(t, blocks)
	pushed := make(chan struct{})
	p.OnPush(func(s network.Stream, req wire.Message) {
		defer close(pushed)
		w := bufio.NewWriterSize(s, 1<<20)
		for i := range uint64(2_000_000) {
			if _, err := w.Write(wire.AppendBlockHeader(nil, i+1000, 0)); err != nil {
				return // reset by the downloader
			}
		}
		_ = w.Flush()
		time.Sleep(time.Second) // hold the stream open while the heap is read
		_ = s.Close()
	})
	gate := make(chan struct{})
	p.PauseAfter(1, gate) // the manifest, then hold the chunk requests
	b := nodetest.New(t)
	before := heapMiB()
	dest := filepath.Join(t.TempDir(), "out")
	done := make(chan error, 1)
	go func() {
		res, err := b.Get(context.Background(), apitype.GetRequest{CID: root.String(), Out: dest, Peers: []string{p.Addr()}}, nil)
		if err == nil {
			if ps, ok := pushStat(res); !ok || ps.Chunks != 0 {
				err = fmt.Errorf("push source %+v, want present with nothing", ps)
			}
		}
		done <- err
	}()
	<-pushed
	time.Sleep(200 * time.Millisecond)
	grew := heapMiB() - before
	close(gate)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dest, "f")); !bytes.Equal(got, files["f"]) {
		t.Fatal("output differs")
	}
	if grew > 48 {
		t.Fatalf("the heap grew %.0f MiB during a flood of empty pushed blocks", grew)
	}
	t.Logf("heap grew %.1f MiB during the flood", grew)
}

func heapMiB() float64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return float64(ms.HeapAlloc) / (1 << 20)
}

// A first peer that accepts PUSH and never sends does not hold the
// download: the peers' requests take the planned chunk.
func TestSilentPushDoesNotHoldTheDownload(t *testing.T) {
	files := map[string][]byte{"f": bytes.Repeat([]byte("silent "), 50000)}
	root, blocks := nodetest.Content(t, "ds", files, 64<<10)
	p := nodetest.NewPeer(t, blocks)
	quit := make(chan struct{})
	defer close(quit)
	p.OnPush(func(s network.Stream, req wire.Message) { <-quit; _ = s.Reset() })
	res := getWhole(t, nodetest.New(t), root, files["f"], p.Addr())
	if ps, _ := pushStat(res); ps.Chunks != 0 {
		t.Fatalf("a silent push delivered %d chunks", ps.Chunks)
	}
}

// A push of corrupt bytes is caught like a GET's: the push source is
// dropped, the peer is banned for later downloads, and the file is whole.
func TestCorruptPushIsCaught(t *testing.T) {
	files := map[string][]byte{"f": bytes.Repeat([]byte("corrupt push "), 40000)}
	root, blocks := nodetest.Content(t, "ds", files, 64<<10)
	p := nodetest.NewPeer(t, blocks)
	p.OnPush(func(s network.Stream, req wire.Message) {
		defer s.Close()
		frame, _ := wire.AppendFrame(nil, &wire.Message{Type: wire.TypeBlock, ID: 0, Data: bytes.Repeat([]byte{7}, 64<<10)})
		_, _ = s.Write(frame)
	})
	b := nodetest.New(t)
	res := getWhole(t, b, root, files["f"], p.Addr())
	if ps, _ := pushStat(res); !strings.Contains(ps.Dropped, "corrupt") {
		t.Fatalf("corrupt push not dropped: %+v", res.Sources)
	}
	bans, err := b.Bans(context.Background())
	if err != nil || len(bans) != 1 || bans[0].Peer != p.Host.ID().String() {
		t.Fatalf("bans %+v, %v: want the pusher", bans, err)
	}
}

// A node that has the manifest already asks for no push: there is no
// round trip to fill, and it may hold the content too.
func TestNoPushWhenTheManifestIsLocal(t *testing.T) {
	a, b := nodetest.New(t), nodetest.New(t)
	src, root := addTree(t, a)
	for i, wantPush := range []bool{true, false} {
		dest := filepath.Join(t.TempDir(), "copy")
		res, err := b.Get(context.Background(), apitype.GetRequest{CID: root, Out: dest, Peers: []string{nodetest.Addr(t, a)}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		nodetest.SameTree(t, src, dest)
		if _, pushed := pushStat(res); pushed != wantPush {
			t.Fatalf("get %d: push source present %v, want %v: %+v", i+1, pushed, wantPush, res.Sources)
		}
	}
}
