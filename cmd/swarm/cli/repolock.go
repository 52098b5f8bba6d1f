package cli

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/swarm-project/swarm/node"
)

// repoHolder is the process holding a repo's lock, as far as it can be
// told (Linux's /proc; elsewhere only the pid).
type repoHolder struct {
	pid  int
	args []string // its command line, nil if unknown
}

// holderOf finds the holder named in a lock error.
func holderOf(err error) repoHolder {
	var le *node.LockedError
	if !errors.As(err, &le) || le.PID == 0 {
		return repoHolder{}
	}
	h := repoHolder{pid: le.PID}
	if b, rerr := os.ReadFile("/proc/" + strconv.Itoa(le.PID) + "/cmdline"); rerr == nil {
		h.args = strings.Split(strings.TrimRight(string(b), "\x00"), "\x00")
	}
	return h
}

// command reports whether the holder is known to be a command running its
// own node (add, get, ...), not a daemon: it keeps the repo until it ends,
// which waiting for an API will not see.
func (h repoHolder) command() bool {
	if len(h.args) == 0 {
		return false
	}
	for _, a := range h.args[1:] {
		if a == "daemon" {
			return false
		}
	}
	return true
}

// lockedError explains a locked repo: a command that runs its own node
// until it ends, or another process whose API does not answer. It wraps
// both errRepoLocked and the store's error (which names the holder).
func lockedError(repo string, err error) error {
	h := holderOf(err)
	if h.command() {
		cmd := "swarm " + strings.Join(h.args[1:], " ")
		if len(cmd) > 80 {
			cmd = cmd[:77] + "..."
		}
		return &repoLockedError{cause: err, msg: fmt.Sprintf("%v: %s is in use by `%s` (pid %d), which runs its own node until it ends; "+
			"start `swarm daemon` to run several commands at once (status then shows every transfer)", errRepoLocked, repo, cmd, h.pid)}
	}
	return &repoLockedError{cause: err, msg: fmt.Sprintf("%v: %s is in use by another swarm process, whose API does not answer: %v", errRepoLocked, repo, err)}
}

type repoLockedError struct {
	msg   string
	cause error
}

func (e *repoLockedError) Error() string   { return e.msg }
func (e *repoLockedError) Unwrap() []error { return []error{errRepoLocked, e.cause} }
