package cli

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/swarm-project/swarm/node"
)

// TestLockHolder: a repo held by a command running its own node is
// reported at once, by name (status waited 15 s for an API that such a
// command never serves); a daemon's lock still means waiting for its API.
func TestLockHolder(t *testing.T) {
	if _, err := os.Stat("/proc/self/cmdline"); err != nil {
		t.Skip("no /proc: the holder is known by its pid only")
	}
	for _, c := range []struct {
		args    []string
		command bool
	}{
		{[]string{"sleep", "30"}, true},
		{[]string{"sh", "-c", "sleep 30; :", "daemon"}, false}, // "; :" keeps a bash that execs its last command from becoming sleep
	} {
		p := exec.Command(c.args[0], c.args[1:]...)
		if err := p.Start(); err != nil {
			t.Fatal(err)
		}
		// Until the child has exec'd, its command line is its parent's.
		want := strings.Join(c.args, "\x00")
		for i := 0; i < 100; i++ {
			if b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", p.Process.Pid)); strings.HasPrefix(string(b), want) {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		locked := &node.LockedError{Dir: "/repo", PID: p.Process.Pid}
		err := lockedError("/repo", locked)
		got := holderOf(err).command()
		_ = p.Process.Kill()
		_ = p.Wait()
		if !errors.Is(err, errRepoLocked) || !errors.Is(err, node.ErrRepoLocked) {
			t.Fatalf("%v: %v does not wrap both lock errors", c.args, err)
		}
		if got != c.command {
			t.Errorf("%v: a command holding the repo: %v, want %v (%v)", c.args, got, c.command, err)
		}
		if c.command && !strings.Contains(err.Error(), "`swarm 30`") {
			t.Errorf("the holder is not named: %v", err)
		}
	}
}
