package store_test

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/swarm-project/swarm/catalog"
	"github.com/swarm-project/swarm/chunker"
	"github.com/swarm-project/swarm/node/store"
)

// Everything recorded survives Close and Open.
func TestReopen(t *testing.T) {
	dir, ctx := t.TempDir(), t.Context()
	data := []byte(strings.Repeat("in place ", 100))
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(path)
	c := chunker.ChunkCID(data)
	loc := catalog.Location{Kind: catalog.InPlace, Path: path, Size: len(data),
		FileSize: fi.Size(), ModTime: fi.ModTime().UnixNano()}
	block := []byte("a block")
	bc := chunker.ChunkCID(block)
	pin := catalog.Pin{Name: "p", Root: c, Added: time.Unix(1700000000, 5).UTC()}

	s := open(t, dir)
	mustNil(t, s.PutLocations(ctx, []catalog.ChunkLocation{{CID: c, Loc: loc}}))
	mustNil(t, s.PutBlock(ctx, bc, block))
	mustNil(t, s.AddPin(ctx, pin))
	mustNil(t, s.JournalAdd(ctx, "dl", []uint64{3, 1, 4096}))
	ban := catalog.Ban{Peer: "12D3KooWliar", Reason: "sent corrupt data", Time: pin.Added, Until: pin.Added.Add(24 * time.Hour)}
	mustNil(t, s.PutBan(ctx, ban))
	mustNil(t, s.PutEndpoints(ctx, c, []string{"https://mirror.example/f"}))
	mustNil(t, s.Close())

	s = open(t, dir)
	if locs, err := s.Locations(ctx, c); err != nil || !slices.Equal(locs, []catalog.Location{loc}) {
		t.Errorf("Locations after reopen = %v, %v", locs, err)
	}
	if got, err := s.ReadChunk(ctx, c); err != nil || !bytes.Equal(got, data) {
		t.Errorf("ReadChunk after reopen: %v", err)
	}
	if got, err := s.GetBlock(ctx, bc); err != nil || !bytes.Equal(got, block) {
		t.Errorf("GetBlock after reopen: %v", err)
	}
	if pins, err := s.Pins(ctx); err != nil || len(pins) != 1 || !pins[0].Added.Equal(pin.Added) || !pins[0].Root.Equals(c) {
		t.Errorf("Pins after reopen = %v, %v", pins, err)
	}
	if got, err := s.GetBan(ctx, ban.Peer); err != nil || got != ban {
		t.Errorf("GetBan after reopen = %+v, %v", got, err)
	}
	if eps, err := s.Endpoints(ctx, c); err != nil || !slices.Equal(eps, []string{"https://mirror.example/f"}) {
		t.Errorf("Endpoints after reopen = %v, %v", eps, err)
	}
	if idx, err := s.JournalLoad(ctx, "dl"); err != nil || !slices.Equal(idx, []uint64{1, 3, 4096}) {
		t.Errorf("JournalLoad after reopen = %v, %v", idx, err)
	}
	st, err := s.Stats(ctx)
	if want := (catalog.Stats{Chunks: 1, Blobs: 1, BlobBytes: int64(len(block)), Pins: 1, Journals: 1}); err != nil || st != want {
		t.Errorf("Stats after reopen = %+v, %v; want %+v", st, err, want)
	}
}

// A batch larger than one Badger transaction is split and fully applied.
func TestLargeBatch(t *testing.T) {
	const n = 3000
	long := "/" + strings.Repeat("d/", 1000) + "f" // ~2 KB: ~6 MB for the batch
	var batch []catalog.ChunkLocation
	for i := range n {
		batch = append(batch, catalog.ChunkLocation{
			CID: chunker.ChunkCID(fmt.Append(nil, i)),
			Loc: catalog.Location{Kind: catalog.InPlace, Path: long, Offset: int64(i), Size: 1, FileSize: n},
		})
	}
	s := open(t, t.TempDir())
	mustNil(t, s.PutLocations(t.Context(), batch))
	for _, i := range []int{0, n / 2, n - 1} {
		locs, err := s.Locations(t.Context(), batch[i].CID)
		if err != nil || len(locs) != 1 || locs[0] != batch[i].Loc {
			t.Fatalf("location %d = %v, %v", i, locs, err)
		}
	}
	st, err := s.Stats(t.Context())
	if err != nil || st.Chunks != n {
		t.Fatalf("Stats = %+v, %v; want %d chunks", st, err, n)
	}
}

const killDirEnv = "SWARM_STORE_TEST_KILL_DIR"

// A JournalAdd that returned survives kill -9 of the process (a download's
// resume depends on it). The test runs itself as a child process that
// journals, reports, and waits to be killed.
func TestJournalSurvivesKill(t *testing.T) {
	if dir := os.Getenv(killDirEnv); dir != "" {
		journalAndWait(t, dir)
		return
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestJournalSurvivesKill$")
	cmd.Env = append(os.Environ(), killDirEnv+"="+dir)
	stdin, err := cmd.StdinPipe() // never written: the child blocks reading it
	mustNil(t, err)
	defer stdin.Close()
	stdout, err := cmd.StdoutPipe()
	mustNil(t, err)
	cmd.Stderr = os.Stderr
	mustNil(t, cmd.Start())
	sc := bufio.NewScanner(stdout)
	for sc.Scan() && sc.Text() != "journaled" {
	}
	mustNil(t, cmd.Process.Kill()) // SIGKILL: no Close, no deferred code
	cmd.Wait()

	var want []uint64
	for i := range 1000 {
		want = append(want, uint64(i))
	}
	idx, err := open(t, dir).JournalLoad(t.Context(), "dl")
	if err != nil || !slices.Equal(idx, want) {
		t.Fatalf("after kill -9: %d indexes, %v; want 1000", len(idx), err)
	}
}

func journalAndWait(t *testing.T, dir string) {
	s, err := store.Open(dir, nil)
	mustNil(t, err)
	for i := range uint64(10) {
		batch := make([]uint64, 100)
		for j := range batch {
			batch[j] = i*100 + uint64(j)
		}
		mustNil(t, s.JournalAdd(t.Context(), "dl", batch))
	}
	fmt.Println("journaled")
	os.Stdin.Read(make([]byte, 1)) // blocks until the parent kills us
	t.Fatal("not killed")
}

func mustNil(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
