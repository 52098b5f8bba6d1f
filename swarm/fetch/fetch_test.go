package fetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ipfs/go-cid"

	"github.com/swarm-project/swarm/chunker"
	"github.com/swarm-project/swarm/chunker/manifest"
)

const cs = chunker.MinChunkSize

// memSource serves blocks from a map; knobs make it slow, lying or flaky.
type memSource struct {
	name    string
	blocks  map[cid.Cid][]byte
	delay   time.Duration
	corrupt bool
	failN   atomic.Int64 // fail this many requests with a transient error
	served  atomic.Int64
	onServe func(n int64)
}

func (m *memSource) Name() string { return m.name }

func (m *memSource) Fetch(ctx context.Context, c cid.Cid) ([]byte, error) {
	if m.failN.Add(-1) >= 0 {
		return nil, errors.New("connection reset")
	}
	if m.delay > 0 {
		select {
		case <-time.After(m.delay):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	b, ok := m.blocks[c]
	if !ok {
		return nil, fmt.Errorf("%s: %w", c, ErrNotHave)
	}
	n := m.served.Add(1)
	if m.onServe != nil {
		m.onServe(n)
	}
	if m.corrupt {
		b = append([]byte(nil), b...)
		b[0] ^= 0xff
	}
	return b, nil
}

// memJournal is an in-memory journal.
type memJournal struct {
	mu  sync.Mutex
	idx map[uint64]bool
}

func (j *memJournal) Load(context.Context) ([]uint64, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	var out []uint64
	for i := range j.idx {
		out = append(out, i)
	}
	slices.Sort(out)
	return out, nil
}

func (j *memJournal) Add(_ context.Context, idx []uint64) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.idx == nil {
		j.idx = map[uint64]bool{}
	}
	for _, i := range idx {
		j.idx[i] = true
	}
	return nil
}

func (j *memJournal) Reset(context.Context) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.idx = nil
	return nil
}

// testTree builds a manifest of a few files and the blocks behind it.
func testTree(t *testing.T) (*manifest.Manifest, map[cid.Cid][]byte, map[string][]byte) {
	t.Helper()
	rng := rand.New(rand.NewPCG(3, 4))
	files := map[string][]byte{"a/one": make([]byte, 5*cs+7), "a/two": make([]byte, cs), "b": nil, "c": make([]byte, 40*cs)}
	blocks := map[cid.Cid][]byte{}
	m := &manifest.Manifest{Name: "t", Root: manifest.KindDir, ChunkSize: cs}
	m.Entries = append(m.Entries, manifest.Entry{Path: "a", Kind: manifest.KindDir, Mode: 0o755})
	for _, p := range []string{"a/one", "a/two", "b", "c"} {
		data := files[p]
		for i := range data {
			data[i] = byte(rng.Uint32())
		}
		e := manifest.Entry{Path: p, Kind: manifest.KindFile, Mode: 0o644, Size: int64(len(data))}
		for off := 0; off < len(data); off += cs {
			c := data[off:min(off+cs, len(data))]
			id := chunker.ChunkCID(c)
			blocks[id] = c
			e.Chunks = append(e.Chunks, id)
		}
		m.Entries = append(m.Entries, e)
	}
	return m, blocks, files
}

func checkFiles(t *testing.T, dest string, files map[string][]byte) {
	t.Helper()
	for p, want := range files {
		got, err := os.ReadFile(filepath.Join(dest, p))
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%s differs (err %v)", p, err)
		}
	}
}

func TestRunManySources(t *testing.T) {
	m, blocks, files := testTree(t)
	slow := &memSource{name: "slow", blocks: blocks, delay: 5 * time.Millisecond}
	fast := &memSource{name: "fast", blocks: blocks}
	dest := filepath.Join(t.TempDir(), "out")
	res, err := Run(context.Background(), Config{Manifest: m, Dest: dest, Sources: []Source{slow, fast}, Journal: &memJournal{}, Depth: 2})
	if err != nil {
		t.Fatal(err)
	}
	checkFiles(t, dest, files)
	if res.Bytes != m.TotalSize() || res.Sources[0].Bytes+res.Sources[1].Bytes != m.TotalSize() {
		t.Fatalf("result %+v", res)
	}
	if res.Sources[1].Bytes <= res.Sources[0].Bytes {
		t.Errorf("fast source delivered %d, slow %d: want fast > slow", res.Sources[1].Bytes, res.Sources[0].Bytes)
	}
}

func TestLiarDroppedFlakyRetried(t *testing.T) {
	m, blocks, files := testTree(t)
	liar := &memSource{name: "liar", blocks: blocks, corrupt: true}
	flaky := &memSource{name: "flaky", blocks: blocks}
	flaky.failN.Store(3)
	dest := filepath.Join(t.TempDir(), "out")
	res, err := Run(context.Background(), Config{Manifest: m, Dest: dest, Sources: []Source{liar, flaky}, Journal: &memJournal{}, Depth: 1})
	if err != nil {
		t.Fatal(err)
	}
	checkFiles(t, dest, files)
	if res.Sources[0].Dropped == "" || res.Sources[0].Bytes != 0 {
		t.Fatalf("liar not dropped: %+v", res.Sources[0])
	}
}

func TestResumeSkipsJournaled(t *testing.T) {
	m, blocks, files := testTree(t)
	dest := filepath.Join(t.TempDir(), "out")
	j := &memJournal{}
	src := &memSource{name: "s", blocks: blocks, delay: 5 * time.Millisecond}
	ctx, cancel := context.WithCancel(context.Background())
	src.onServe = func(n int64) {
		if n == 30 {
			cancel()
		}
	}
	_, err := Run(ctx, Config{Manifest: m, Dest: dest, Sources: []Source{src}, Journal: j, Depth: 1})
	src.onServe = nil
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want cancel, got %v", err)
	}
	if _, err := os.Lstat(dest); err == nil {
		t.Fatal("destination exists after an interrupted run")
	}
	done, _ := j.Load(context.Background())
	if len(done) == 0 {
		t.Fatal("nothing journaled before the interruption")
	}
	before := src.served.Load()
	res, err := Run(context.Background(), Config{Manifest: m, Dest: dest, Sources: []Source{src}, Journal: j})
	if err != nil {
		t.Fatal(err)
	}
	checkFiles(t, dest, files)
	if res.Resumed == 0 || src.served.Load()-before != int64(len(blocks)-len(done)) {
		t.Fatalf("resumed %d bytes; second run fetched %d chunks, want %d", res.Resumed, src.served.Load()-before, len(blocks)-len(done))
	}
}

// A journal whose partial data is gone is not trusted.
func TestJournalWithoutPartialIsReset(t *testing.T) {
	m, blocks, files := testTree(t)
	j := &memJournal{}
	_ = j.Add(context.Background(), []uint64{0, 1, 2})
	dest := filepath.Join(t.TempDir(), "out")
	if _, err := Run(context.Background(), Config{Manifest: m, Dest: dest, Sources: []Source{&memSource{name: "s", blocks: blocks}}, Journal: j}); err != nil {
		t.Fatal(err)
	}
	checkFiles(t, dest, files)
}

func TestNobodyHasIt(t *testing.T) {
	m, _, _ := testTree(t)
	dest := filepath.Join(t.TempDir(), "out")
	_, err := Run(context.Background(), Config{Manifest: m, Dest: dest, Sources: []Source{&memSource{name: "empty", blocks: map[cid.Cid][]byte{}}}, Journal: &memJournal{}})
	var ue *UnavailableError
	if !errors.As(err, &ue) || ue.Missing == 0 {
		t.Fatalf("got %v", err)
	}
}

// A symlink planted in the partial tree is not followed.
func TestPlantedSymlinkRefused(t *testing.T) {
	m, blocks, _ := testTree(t)
	dir := t.TempDir()
	dest := filepath.Join(dir, "out")
	victim := filepath.Join(dir, "victim")
	if err := os.WriteFile(victim, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	j := &memJournal{}
	_ = j.Add(context.Background(), []uint64{0})
	partial := filepath.Join(dir, ".out.swarm-partial")
	if err := os.MkdirAll(partial, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(victim, filepath.Join(partial, "b")); err != nil {
		t.Fatal(err)
	}
	_, err := Run(context.Background(), Config{Manifest: m, Dest: dest, Sources: []Source{&memSource{name: "s", blocks: blocks}}, Journal: j})
	var de *DestError
	if !errors.As(err, &de) {
		t.Fatalf("got %v", err)
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep me" {
		t.Fatal("write followed a planted symlink")
	}
}

// Regression: when every source ends up dropped, the download fails with
// ErrUnavailable; it once returned success with chunks never written.
func TestAllSourcesDroppedIsAnError(t *testing.T) {
	m, blocks, _ := testTree(t)
	liar := &memSource{name: "liar", blocks: blocks, corrupt: true}
	liar2 := &memSource{name: "liar2", blocks: blocks, corrupt: true}
	dest := filepath.Join(t.TempDir(), "out")
	_, err := Run(context.Background(), Config{Manifest: m, Dest: dest, Sources: []Source{liar, liar2}, Journal: &memJournal{}, Depth: 4})
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("got %v", err)
	}
	if _, err := os.Lstat(dest); err == nil {
		t.Fatal("destination exists")
	}
}

// A source that turns up while the download runs (a DHT search still
// going) joins it; until More closes, the download waits instead of
// declaring itself stuck.
func TestMoreSourcesJoin(t *testing.T) {
	m, blocks, files := testTree(t)
	more := make(chan Source, 1)
	empty := &memSource{name: "empty", blocks: map[cid.Cid][]byte{}}
	go func() {
		time.Sleep(100 * time.Millisecond)
		more <- &memSource{name: "late", blocks: blocks}
		close(more)
	}()
	dest := filepath.Join(t.TempDir(), "out")
	res, err := Run(context.Background(), Config{Manifest: m, Dest: dest, Sources: []Source{empty}, More: more, Journal: &memJournal{}})
	if err != nil {
		t.Fatal(err)
	}
	checkFiles(t, dest, files)
	if len(res.Sources) != 2 || res.Sources[1].Bytes != m.TotalSize() {
		t.Fatalf("%+v", res.Sources)
	}
	// More closed with nothing useful: a clear failure, not a hang.
	none := make(chan Source)
	close(none)
	_, err = Run(context.Background(), Config{Manifest: m, Dest: filepath.Join(t.TempDir(), "o2"), Sources: []Source{empty}, More: none, Journal: &memJournal{}})
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("got %v", err)
	}
}

// The caller is told of a liar once, however many of its requests were in
// flight, so it can remember the source for later downloads.
func TestCorruptReportedOnce(t *testing.T) {
	m, blocks, files := testTree(t)
	liar := &memSource{name: "liar", blocks: blocks, corrupt: true, delay: time.Millisecond}
	honest := &memSource{name: "honest", blocks: blocks, delay: 20 * time.Millisecond} // the liar answers first
	var mu sync.Mutex
	var told []string
	dest := filepath.Join(t.TempDir(), "out")
	_, err := Run(context.Background(), Config{Manifest: m, Dest: dest, Sources: []Source{liar, honest}, Journal: &memJournal{}, Depth: 8,
		Corrupt: func(s Source, err error) {
			if !errors.Is(err, chunker.ErrHashMismatch) {
				t.Errorf("told %v, want a hash mismatch", err)
			}
			mu.Lock()
			told = append(told, s.Name())
			mu.Unlock()
		}})
	if err != nil {
		t.Fatal(err)
	}
	checkFiles(t, dest, files)
	if !slices.Equal(told, []string{"liar"}) {
		t.Fatalf("told of %v, want the liar once", told)
	}
}

// A download whose first chunk was asked for before Run (a push sent with
// the manifest request) counts its time from then.
func TestElapsedCountsFromStarted(t *testing.T) {
	m, blocks, _ := testTree(t)
	src := &memSource{name: "mem", blocks: blocks}
	started := time.Now().Add(-time.Hour)
	res, err := Run(context.Background(), Config{Manifest: m, Dest: filepath.Join(t.TempDir(), "out"),
		Sources: []Source{src}, Journal: &memJournal{}, Started: started})
	if err != nil {
		t.Fatal(err)
	}
	if res.Duration < time.Hour {
		t.Fatalf("duration %v, want from Started (an hour ago)", res.Duration)
	}
}
