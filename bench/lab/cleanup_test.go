//go:build wanlab

package lab_test

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/swarm-project/swarm/bench/lab"
)

func netnsExists(name string) bool {
	_, err := os.Stat("/run/netns/" + name)
	return err == nil
}

// TestHelperProcess is not a test: TestCleanupWhenKilled runs the test
// binary with SWL_HELPER=1 to get a process that holds a lab and is killed.
func TestHelperProcess(t *testing.T) {
	if os.Getenv("SWL_HELPER") != "1" {
		t.Skip("helper process only")
	}
	l, err := lab.Up(context.Background(), lab.Config{
		Seeders:  []lab.LinkSpec{path(10, 10*time.Millisecond, 0)},
		StateDir: os.Getenv("SWL_STATE")})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range l.Nodes() {
		os.Stdout.WriteString("NETNS " + n.Netns + "\n")
	}
	os.Stdout.WriteString("READY\n")
	time.Sleep(time.Minute)
}

// A lab whose process is killed with SIGKILL is removed by its watchdog.
func TestCleanupWhenKilled(t *testing.T) {
	if err := lab.Check(); err != nil {
		t.Skipf("wan lab validation skipped: %v", err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.v")
	cmd.Env = append(os.Environ(), "SWL_HELPER=1", "SWL_STATE="+t.TempDir())
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var names []string
	sc := bufio.NewScanner(out)
	for sc.Scan() && sc.Text() != "READY" {
		if n, ok := strings.CutPrefix(sc.Text(), "NETNS "); ok {
			names = append(names, n)
		}
	}
	if len(names) != 2 || !netnsExists(names[0]) {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("helper lab did not come up: namespaces %v", names)
	}
	cmd.Process.Kill()
	cmd.Wait()
	deadline := time.Now().Add(10 * time.Second)
	for slices.ContainsFunc(names, netnsExists) {
		if time.Now().After(deadline) {
			t.Fatalf("namespaces %v still exist 10 s after the lab's process was killed", names)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Down removes what a dead run recorded, and two labs run side by side.
func TestDownRemovesStaleAndLabsDoNotCollide(t *testing.T) {
	dir := t.TempDir()
	a := upLab(t, path(10, 10*time.Millisecond, 0))
	b := upLab(t, path(10, 10*time.Millisecond, 0))
	if a.Downloader.Netns == b.Downloader.Netns {
		t.Fatalf("two labs share namespace %s", a.Downloader.Netns)
	}
	for _, l := range []*lab.Lab{a, b} {
		checkRTT(t, l.ID, measureRTT(t, l, 0), 10*time.Millisecond)
	}
	stale := "swl-stale0-d"
	if err := exec.Command("ip", "netns", "add", stale).Run(); err != nil {
		t.Fatal(err)
	}
	st := `{"id":"dead","pid":999999999,"start_time":"1","netns":["` + stale + `"]}`
	if err := os.WriteFile(dir+"/dead.json", []byte(st), 0o644); err != nil {
		t.Fatal(err)
	}
	removed, err := lab.Down(context.Background(), dir, false)
	if err != nil || !slices.Contains(removed, stale) || netnsExists(stale) {
		t.Errorf("Down removed %v (err %v), want %s removed", removed, err, stale)
	}
	if !netnsExists(a.Downloader.Netns) || !netnsExists(b.Downloader.Netns) {
		t.Error("Down removed a running lab")
	}
}
