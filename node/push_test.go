package node_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/swarm-project/swarm/node/apitype"
	"github.com/swarm-project/swarm/node/nodetest"
)

// pushBudgetChunks is how many default-size chunks a push covers (node's
// pushBudget is 4 MiB).
const pushBudgetChunks = 4

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
	data := bytes.Repeat([]byte("pushed chunk bytes "), 500000) // 9.5 MB: 10 chunks, 4 of them pushed
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
	b := nodetest.New(t)
	dest := filepath.Join(t.TempDir(), "out")
	res, err := b.Get(context.Background(), apitype.GetRequest{CID: root.String(), Out: dest, Peers: []string{p.Addr()}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dest, "f")); !bytes.Equal(got, files["f"]) {
		t.Fatal("output differs")
	}
	for _, s := range res.Sources {
		if s.Dropped != "" {
			t.Fatalf("a source was dropped: %+v", res.Sources)
		}
	}
	if ps, ok := pushStat(res); ok && ps.Chunks != 0 {
		t.Fatalf("push source delivered %d chunks from a peer that does not push", ps.Chunks)
	}
}
