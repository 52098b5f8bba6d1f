package cli

import (
	"errors"
	"os/exec"
	"strings"
	"testing"

	"github.com/swarm-project/swarm/node/store"
)

// TestLockHolder: a repo held by a command running its own node is
// reported at once, by name (status waited 15 s for an API that such a
// command never serves); a daemon's lock still means waiting for its API.
func TestLockHolder(t *testing.T) {
	for _, c := range []struct {
		args    []string
		command bool
	}{
		{[]string{"sleep", "30"}, true},
		{[]string{"sh", "-c", "sleep 30", "daemon"}, false},
	} {
		p := exec.Command(c.args[0], c.args[1:]...)
		if err := p.Start(); err != nil {
			t.Fatal(err)
		}
		locked := &store.LockedError{Dir: "/repo", PID: p.Process.Pid}
		err := lockedError("/repo", locked)
		got := holderOf(err).command()
		_ = p.Process.Kill()
		_ = p.Wait()
		if !errors.Is(err, errRepoLocked) || !errors.Is(err, store.ErrLocked) {
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
