package fetch

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
)

// partialSource holds only some chunks and says which (a peer that has
// part of the content); it records what it is asked for, in order.
type partialSource struct {
	*memSource
	has func(int) bool

	mu    sync.Mutex
	asked []cid.Cid
}

func (p *partialSource) Have(context.Context) (func(int) bool, bool, error) {
	return p.has, false, nil
}

func (p *partialSource) Fetch(ctx context.Context, c cid.Cid) ([]byte, error) {
	p.mu.Lock()
	p.asked = append(p.asked, c)
	p.mu.Unlock()
	return p.memSource.Fetch(ctx, c)
}

// With one source holding everything and one holding the first half, the
// full source is given the second half (only it holds those chunks) before
// any chunk the other could serve; in order it would start at chunk 0.
func TestRarestFirstAcrossPartialSources(t *testing.T) {
	m, blocks, files := testTree(t)
	var order []cid.Cid // chunk index → CID
	for _, e := range m.Entries {
		order = append(order, e.Chunks...)
	}
	half := len(order) / 2
	firstHalf := map[cid.Cid][]byte{}
	index := map[cid.Cid]int{}
	for i, c := range order {
		index[c] = i
		if i < half {
			firstHalf[c] = blocks[c]
		}
	}
	// has nil: a Haver that holds everything.
	full := &partialSource{memSource: &memSource{name: "full", blocks: blocks, delay: time.Millisecond}}
	part := &partialSource{memSource: &memSource{name: "part", blocks: firstHalf, delay: time.Millisecond},
		has: func(i int) bool { return i < half }}
	dest := filepath.Join(t.TempDir(), "out")
	res, err := Run(context.Background(), Config{Manifest: m, Dest: dest, Sources: []Source{full, part}, Journal: &memJournal{}, Depth: 2})
	if err != nil {
		t.Fatal(err)
	}
	checkFiles(t, dest, files)
	rare := len(order) - half
	if len(full.asked) < rare {
		t.Fatalf("full source asked for %d chunks, fewer than the %d only it holds", len(full.asked), rare)
	}
	for k, c := range full.asked[:rare] {
		if index[c] < half {
			t.Fatalf("full source's request %d was chunk %d, which the other source holds, before every chunk only it holds", k, index[c])
		}
	}
	if res.Sources[1].Chunks == 0 {
		t.Fatalf("partial source delivered nothing: %+v", res.Sources)
	}
	for _, c := range part.asked {
		if index[c] >= half {
			t.Fatalf("partial source asked for chunk %d it does not hold", index[c])
		}
	}
}
