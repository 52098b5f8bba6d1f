package lab

import (
	"fmt"
	"io"
	"os/exec"
	"strings"
	"syscall"
)

// watchdog is a small shell child that removes the lab's namespaces and
// state file if this process dies without closing the lab (for example on
// SIGKILL): it waits on a pipe whose write end only this process holds.
// Close writes "done" so it exits without doing anything.
type watchdog struct {
	cmd *exec.Cmd
	w   io.WriteCloser
}

func startWatchdog(netns []string, stateFile string) (*watchdog, error) {
	var b strings.Builder
	b.WriteString(`read x; [ "$x" = done ] && exit 0; `)
	for _, ns := range netns {
		fmt.Fprintf(&b, `for p in $(ip netns pids %[1]s 2>/dev/null); do kill -9 $p; done; ip netns del %[1]s 2>/dev/null; `, ns)
	}
	fmt.Fprintf(&b, `rm -f '%s'`, stateFile)
	cmd := exec.Command("sh", "-c", b.String())
	// Its own process group: Ctrl-C in a terminal must not kill it before
	// it has had the chance to clean up.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	w, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return &watchdog{cmd: cmd, w: w}, nil
}

// stop tells the watchdog the lab was closed cleanly and waits for it.
func (w *watchdog) stop() {
	io.WriteString(w.w, "done\n")
	w.w.Close()
	w.cmd.Wait()
}
