package main_test

import (
	"encoding/binary"
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ipfs/go-cid"

	"github.com/swarm-project/swarm/chunker"
	"github.com/swarm-project/swarm/node/nodetest"
)

// add on a daemon, get from another repo (embedded node, then through a
// second daemon): byte-identical trees, and the other commands answer.
func TestE2EAddGet(t *testing.T) {
	a, b := initRepo(t), initRepo(t)
	startDaemon(t, a)
	src := filepath.Join(t.TempDir(), "dataset")
	nodetest.WriteTree(t, src, chunker.DefaultChunkSize, 7)
	root := strings.TrimSpace(mustRun(t, a, "add", src, "-Q"))
	if _, err := cid.Decode(root); err != nil {
		t.Fatalf("add -Q printed %q, not a CID", root)
	}
	peer := loopbackAddr(t, a)

	copy1 := filepath.Join(t.TempDir(), "copy")
	var sum struct {
		Bytes       int64            `json:"bytes"`
		Seconds     float64          `json:"seconds"`
		GoodputMbps float64          `json:"goodput_mbps"`
		Sources     map[string]int64 `json:"sources"`
	}
	out := mustRun(t, b, "get", root, "-o", copy1, "--peer", peer, "--json")
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("--json output %q: %v", out, err)
	}
	nodetest.SameTree(t, src, copy1)
	var fromPeer int64
	for name, n := range sum.Sources {
		if strings.HasPrefix(name, "peer ") || strings.HasPrefix(name, "push from peer ") {
			fromPeer += n // asked for, or pushed with the manifest
		}
	}
	if sum.Bytes == 0 || fromPeer != sum.Bytes || sum.Seconds <= 0 {
		t.Fatalf("summary %+v", sum)
	}

	// B as a daemon: the CLI goes through its API; the data is local now.
	startDaemon(t, b)
	copy2 := filepath.Join(t.TempDir(), "copy2")
	mustRun(t, b, "get", root, "-o", copy2)
	nodetest.SameTree(t, src, copy2)
	if ls := mustRun(t, b, "ls", root); !strings.Contains(ls, "a/b/c/several.bin") || !strings.Contains(ls, "empty-dir/nested-empty/") {
		t.Fatalf("ls: %s", ls)
	}
	if pins := mustRun(t, a, "pin", "ls"); !strings.Contains(pins, root) || !strings.Contains(pins, "dataset") {
		t.Fatalf("pin ls: %s", pins)
	}
	if st := mustRun(t, a, "status"); !strings.Contains(st, "chunks") {
		t.Fatalf("status: %s", st)
	}
}

func TestE2EErrors(t *testing.T) {
	a := initRepo(t)
	cases := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"get", "not-a-cid", "-o", filepath.Join(t.TempDir(), "x")}, 2, "not a CID"},
		{[]string{"get", chunker.ChunkCID([]byte("x")).String(), "-o", filepath.Join(t.TempDir(), "x")}, 4, "not a manifest"},
		{[]string{"add", "/nonexistent/path"}, 2, "no such file"},
		{[]string{"frobnicate"}, 2, "unknown command"}, // a usage error, as documented (1 before session 9)
	}
	for _, tc := range cases {
		r := run(t, a, tc.args...)
		if r.code != tc.code || !strings.Contains(r.stderr, tc.msg) {
			t.Errorf("swarm %v: exit %d, stderr %q; want exit %d mentioning %q", tc.args, r.code, r.stderr, tc.code, tc.msg)
		}
	}
	if r := run(t, filepath.Join(t.TempDir(), "none"), "add", "."); r.code != 2 || !strings.Contains(r.stderr, "swarm init") {
		t.Errorf("uninitialised repo: exit %d %q", r.code, r.stderr)
	}
}

// A hostile manifest is refused (exit 4) and nothing is written.
func TestE2EHostileManifest(t *testing.T) {
	b := initRepo(t)
	root, blocks := nodetest.HostileManifest(t, "../x")
	evil := nodetest.NewPeer(t, blocks)
	parent := t.TempDir()
	r := run(t, b, "get", root.String(), "-o", filepath.Join(parent, "out"), "--peer", evil.Addr())
	if r.code != 4 || !strings.Contains(r.stderr, "..") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if ents, _ := os.ReadDir(parent); len(ents) != 0 {
		t.Fatalf("wrote %v", ents)
	}
}

// kill -9 in the middle of a get; the same command again fetches only what
// is missing and the result is complete. What a kill loses is what was in
// flight (the pipelining depth: 16 MiB of requests to start, here 32 of
// these 64 KiB chunks, then 1.5 bandwidth-delay products) and what arrived
// since the last journal commit (100 ms): about a tenth of this small,
// slow file, so less than a fifth is asked of it.
func TestE2EKillResume(t *testing.T) {
	const nChunks = 1024
	data, root, blocks, seeder := slowSeeder(t, nChunks)
	b := initRepo(t)
	dest := filepath.Join(t.TempDir(), "out")
	args := []string{"--repo", b, "get", root.String(), "-o", dest, "--peer", seeder.Addr()}

	cmd := startAndWait(t, args, seeder, nChunks/2)
	_ = cmd.Process.Signal(syscall.SIGKILL)
	_ = cmd.Wait()
	first := seeder.Served.Load()
	if first >= int64(len(blocks)) {
		t.Fatalf("download finished before the kill (%d blocks served)", first)
	}
	if _, err := os.Lstat(dest); !os.IsNotExist(err) {
		t.Fatal("incomplete download visible under the destination name")
	}

	seeder.SetDelay(0)
	mustRun(t, b, args[2:]...)
	got, err := os.ReadFile(filepath.Join(dest, "d/big.bin"))
	if err != nil || string(got) != string(data) {
		t.Fatalf("resumed download differs (err %v)", err)
	}
	total := seeder.Served.Load()
	extra := total - int64(len(blocks))
	t.Logf("blocks: %d; served before kill %d, in all %d, extra %d", len(blocks), first, total, extra)
	if extra*5 >= int64(len(blocks)) {
		t.Fatalf("resume re-fetched %d extra blocks of %d (>= 20%%)", extra, len(blocks))
	}
}

// slowSeeder serves a file of n random 64 KiB chunks, slowly.
func slowSeeder(t *testing.T, n int) ([]byte, cid.Cid, map[cid.Cid][]byte, *nodetest.Peer) {
	const chunkSize = 64 << 10
	data := make([]byte, chunkSize*n)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < len(data); i += 8 {
		binary.LittleEndian.PutUint64(data[i:], rng.Uint64())
	}
	root, blocks := nodetest.Content(t, "big", map[string][]byte{"d/big.bin": data}, chunkSize)
	seeder := nodetest.NewPeer(t, blocks)
	seeder.SetDelay(100 * time.Millisecond)
	return data, root, blocks, seeder
}

// startAndWait starts swarm with args and returns once the seeder served n blocks.
func startAndWait(t *testing.T, args []string, seeder *nodetest.Peer, n int64) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(swarmBin(t), args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for seeder.Served.Load() < n && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	return cmd
}

// Ctrl-C: exit code 130, a hint to resume, and the rerun completes.
func TestE2EInterruptResume(t *testing.T) {
	data, root, _, seeder := slowSeeder(t, 256)
	b := initRepo(t)
	dest := filepath.Join(t.TempDir(), "out")
	args := []string{"--repo", b, "get", root.String(), "-o", dest, "--peer", seeder.Addr()}
	cmd := startAndWait(t, args, seeder, 64)
	_ = cmd.Process.Signal(os.Interrupt)
	err := cmd.Wait()
	stderr := cmd.Stderr.(*strings.Builder).String()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 130 || !strings.Contains(stderr, "again to resume") {
		t.Fatalf("interrupted get: %v, stderr %q", err, stderr)
	}
	seeder.SetDelay(0)
	out := mustRun(t, b, args[2:]...)
	if !strings.Contains(out, "already verified") {
		t.Errorf("rerun did not report resumed bytes: %q", out)
	}
	got, _ := os.ReadFile(filepath.Join(dest, "d/big.bin"))
	if string(got) != string(data) {
		t.Fatal("resumed download differs")
	}
}

// A command run while the daemon is starting never fails on the repo lock,
// and neither does the daemon.
func TestE2ECommandDuringDaemonStart(t *testing.T) {
	a := initRepo(t)
	cmd := exec.Command(swarmBin(t), "--repo", a, "daemon", "--listen", "/ip4/127.0.0.1/tcp/0", "--api", "127.0.0.1:0")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Signal(syscall.SIGTERM); _ = cmd.Wait() })
	// Whether it ran before the daemon took the repo (an embedded node) or
	// after (through the API), the command succeeds...
	if r := run(t, a, "id", "--json"); r.code != 0 {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	// ...and the daemon, which may have found the repo held by that
	// command, waited for it instead of dying.
	deadline := time.Now().Add(30 * time.Second)
	for {
		r := run(t, a, "id", "--json")
		if r.code == 0 && strings.Contains(r.stdout, "/tcp/") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("daemon never answered: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
