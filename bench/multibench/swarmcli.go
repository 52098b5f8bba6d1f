package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/swarm-project/swarm/bench/benchkit"
	"github.com/swarm-project/swarm/bench/lab"
)

// place is where a command runs: a lab node's namespace, or this host
// (lab nil) for the loopback benchmark.
type place struct {
	lab  *lab.Lab
	node lab.Node
}

func (p place) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	if p.lab == nil {
		return exec.CommandContext(ctx, name, args...)
	}
	return p.lab.Command(ctx, p.node, name, args...)
}

// swarmCLI drives the swarm binary through its documented CLI only.
type swarmCLI struct{ bin string }

func buildSwarm(ctx context.Context, repo, dir string) (swarmCLI, error) {
	out := filepath.Join(dir, "swarm")
	c := exec.CommandContext(ctx, "go", "build", "-o", out, "./cmd/swarm")
	c.Dir = repo
	if b, err := c.CombinedOutput(); err != nil {
		return swarmCLI{}, fmt.Errorf("go build ./cmd/swarm: %v: %s", err, lastLine(b))
	}
	return swarmCLI{bin: out}, nil
}

func (s swarmCLI) command(ctx context.Context, p place, repo string, args ...string) *exec.Cmd {
	return p.command(ctx, s.bin, append([]string{"--repo", repo}, args...)...)
}

// run runs a short command and returns its trimmed stdout.
func (s swarmCLI) run(ctx context.Context, p place, repo string, args ...string) (string, error) {
	return output(s.command(ctx, p, repo, args...), "swarm", args)
}

// output runs a short command and returns its trimmed stdout, or an
// error naming it as prog with args and ending in its last stderr line.
func output(c *exec.Cmd, prog string, args []string) (string, error) {
	out, err := c.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		return "", fmt.Errorf("%s %s: %v: %s", prog, strings.Join(args, " "), err, lastLine(stderr))
	}
	return strings.TrimSpace(string(out)), nil
}

// seed initialises repo and adds path in place; it returns the root CID.
func (s swarmCLI) seed(ctx context.Context, p place, repo, path string) (string, error) {
	if _, err := s.run(ctx, p, repo, "init"); err != nil {
		return "", err
	}
	return s.run(ctx, p, repo, "add", path, "-Q")
}

// daemon is a running `swarm daemon` and the address peers dial.
type daemon struct {
	*proc
	Addr string // full multiaddr with /p2p/ID
	ID   string
}

// daemonSpec says how to run one `swarm daemon`.
type daemonSpec struct {
	repo      string
	ip        string   // the address peers dial
	transport string   // "swarmrc" or "tcp"
	flags     []string // after `daemon`
	env       []string // added to the environment (SWARM_TRACE=...)
}

// startDaemon runs `swarm daemon` and returns once it answers `swarm id`,
// with its first address on d.ip over d.transport. A daemon started just
// after `swarm add` may find the repository still locked and exit; it is
// tried three times.
func (s swarmCLI) startDaemon(ctx context.Context, p place, d daemonSpec) (*daemon, error) {
	var lastErr error
	for range 3 {
		c := s.command(ctx, p, d.repo, append([]string{"daemon"}, d.flags...)...)
		if len(d.env) > 0 {
			c.Env = append(os.Environ(), d.env...)
		}
		pr, err := startProc(c, newLogTail(64<<10, "API http"))
		if err != nil {
			return nil, err
		}
		if lastErr = pr.waitReady(20 * time.Second); lastErr == nil {
			var id idJSON
			out, err := s.run(ctx, p, d.repo, "id", "--json")
			if err == nil {
				err = json.Unmarshal([]byte(out), &id)
			}
			if addr := pickAddr(id, d.ip, d.transport); err == nil && addr != "" {
				return &daemon{proc: pr, Addr: addr, ID: id.ID}, nil
			}
			lastErr = fmt.Errorf("no /%s address on %s in %q (%v)", d.transport, d.ip, out, err)
		}
		pr.stop()
		time.Sleep(500 * time.Millisecond)
	}
	return nil, fmt.Errorf("swarm daemon: %w", lastErr)
}

// idJSON is `swarm id --json`.
type idJSON struct {
	ID    string   `json:"id"`
	Addrs []string `json:"addrs"`
}

// pickAddr returns the first address of id on ip using transport
// ("swarmrc": /udp/N/swarmrc; "tcp": /tcp/N), ending in /p2p/ID.
func pickAddr(id idJSON, ip, transport string) string {
	for _, a := range id.Addrs {
		if !strings.HasPrefix(a, "/ip4/"+ip+"/") {
			continue
		}
		rest := strings.TrimPrefix(a, "/ip4/"+ip)
		match := transport == "swarmrc" && strings.HasPrefix(rest, "/udp/") && strings.Contains(rest, "/swarmrc") ||
			transport == "tcp" && strings.HasPrefix(rest, "/tcp/") && !strings.Contains(rest, "/ws")
		if !match {
			continue
		}
		if !strings.Contains(a, "/p2p/") && id.ID != "" {
			a += "/p2p/" + id.ID
		}
		return a
	}
	return ""
}

// getRequest is one `swarm get`.
type getRequest struct {
	Root, Out       string
	Peers           []string
	Endpoints       []string
	Timebox         time.Duration
	During          func(ctx context.Context) // run alongside the download, stopped when it ends
	PartialProgress func() int64              // bytes written so far, for a time-boxed run
}

// getSummary is `swarm get --json` (the CLI contract).
type getSummary struct {
	Root        string            `json:"root"`
	Bytes       int64             `json:"bytes"`
	Resumed     int64             `json:"resumed"`
	Total       int64             `json:"total"`
	Seconds     float64           `json:"seconds"`
	GoodputMbps float64           `json:"goodput_mbps"`
	Sources     map[string]int64  `json:"sources"`
	Dropped     map[string]string `json:"dropped"`
}

// getOutcome is what one `swarm get` did.
type getOutcome struct {
	Summary  getSummary
	Parsed   bool // the JSON summary was printed
	Wall     float64
	TimedOut bool
	PeakRSS  int64
	CPU      float64
	Err      error
}

// get runs `swarm get ... --json` and measures it.
func (s swarmCLI) get(ctx context.Context, p place, repo string, r getRequest) getOutcome {
	args := []string{"get", r.Root, "-o", r.Out, "--json"}
	for _, a := range r.Peers {
		args = append(args, "--peer", a)
	}
	for _, e := range r.Endpoints {
		args = append(args, "--endpoint", e)
	}
	bctx, cancel := context.WithTimeout(ctx, r.Timebox)
	defer cancel()
	c := interruptible(s.command(bctx, p, repo, args...))
	stderr := newLogTail(64<<10, "")
	c.Stderr = stderr
	var wg sync.WaitGroup
	dctx, stopDuring := context.WithCancel(ctx)
	if r.During != nil {
		wg.Go(func() { r.During(dctx) })
	}
	start := time.Now()
	stdout, err := c.Output()
	o := getOutcome{Wall: time.Since(start).Seconds(), TimedOut: bctx.Err() != nil, PeakRSS: peakRSS(c), CPU: cpuSeconds(c)}
	stopDuring()
	wg.Wait()
	if line := benchkit.LastJSONLine(stdout); line != nil && json.Unmarshal(line, &o.Summary) == nil {
		o.Parsed = true
	}
	if err != nil {
		o.Err = fmt.Errorf("swarm get: %v: %s", err, stderr.Last())
	}
	if !o.Parsed && r.PartialProgress != nil {
		o.Summary.Bytes = r.PartialProgress()
	}
	return o
}
