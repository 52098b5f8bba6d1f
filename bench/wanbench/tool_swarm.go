package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/swarm-project/swarm/bench/benchkit"
	"github.com/swarm-project/swarm/bench/lab"
)

// errUnavailable marks a tool that could not run at all here.
var errUnavailable = errors.New("unavailable")

// swarmTool runs `swarm get` in the downloader from a daemon in the
// seeder. With quic, the daemon listens only on libp2p QUIC and the peer
// address is that one; otherwise the daemon's defaults are used and the
// peer address is its first non-TCP, non-QUIC address on the lab.
func swarmTool(quic bool) tool {
	name := "swarm"
	if quic {
		name = "swarm-quic"
	}
	return tool{name: name, run: func(ctx context.Context, e *env) (Measurement, int64, error) {
		if e.swarm.path == "" {
			return Measurement{}, -1, fmt.Errorf("%w: %s", errUnavailable, e.swarm.reason)
		}
		return runSwarm(ctx, e, quic)
	}}
}

type swarmGetReport struct {
	Bytes       int64   `json:"bytes"`
	Seconds     float64 `json:"seconds"`
	Retrans     *int64  `json:"retransmitted_bytes"`
	GoodputMbps float64 `json:"goodput_mbps"`
}

type swarmID struct {
	ID    string   `json:"id"`
	Addrs []string `json:"addrs"`
}

func runSwarm(ctx context.Context, e *env, quic bool) (Measurement, int64, error) {
	var m Measurement
	s, d := e.lab.Seeders[0], e.lab.Downloader
	seedRepo, getRepo := filepath.Join(e.work, "swarm-seed"), filepath.Join(e.work, "swarm-get")
	defer os.RemoveAll(seedRepo)
	defer os.RemoveAll(getRepo)
	daemon, peer, cid, err := startSeeder(ctx, e, s, seedRepo, quic)
	if err != nil {
		return m, -1, err
	}
	defer stopProcess(daemon)
	m.Peer = peer
	if _, err := e.swarmRun(ctx, d, getRepo, "init"); err != nil {
		return m, -1, err
	}
	out := filepath.Join(e.work, "swarm-out.bin")
	// An interrupted get leaves verified chunks in .NAME.swarm-partial.
	partial := filepath.Join(e.work, ".swarm-out.bin.swarm-partial")
	defer os.Remove(out)
	defer os.Remove(partial)
	cpu0 := benchkit.ProcCPU(daemon.Process.Pid).Seconds()
	bctx, cancel := context.WithTimeout(ctx, e.timebox)
	defer cancel()
	get := interruptible(e.swarmCmd(bctx, d, getRepo, "get", cid, "-o", out, "--peer", peer, "--json"))
	stderr := &limitedBuffer{max: 64 << 10}
	get.Stderr = stderr
	start := time.Now()
	stdout, rerr := get.Output()
	m.Seconds = time.Since(start).Seconds()
	m.WallSeconds = m.Seconds
	m.TimedOut = bctx.Err() != nil
	m.SenderCPU, m.ReceiverCPU = benchkit.ProcCPU(daemon.Process.Pid).Seconds()-cpu0, cpuOf(get)
	var rep swarmGetReport
	if jerr := json.Unmarshal(benchkit.LastJSONLine(stdout), &rep); jerr == nil && !m.TimedOut {
		m.Bytes = rep.Bytes
		if rep.Seconds > 0 {
			m.Seconds = rep.Seconds
		}
	} else {
		m.Bytes = max(writtenBytes(out), writtenBytes(partial))
	}
	retrans := int64(-1)
	if rep.Retrans != nil {
		retrans = *rep.Retrans
	} else if n, err := seederRetrans(ctx, e, s, seedRepo); err == nil && !quic { // over QUIC there are no swarmrc sessions to count
		retrans = n
	}
	if m.Bytes == 0 || rerr != nil && !m.TimedOut {
		return m, retrans, fmt.Errorf("swarm get from %s: %v: %s", peer, rerr, lastLine(stderr.Bytes()))
	}
	return m, retrans, nil
}

// seederRetrans asks the seeder daemon, started for this run alone, how
// many bytes its swarmrc sessions retransmitted (swarm status).
func seederRetrans(ctx context.Context, e *env, s lab.Node, repo string) (int64, error) {
	out, err := e.swarmRun(ctx, s, repo, "status", "--json")
	if err != nil {
		return -1, err
	}
	var st struct {
		Totals struct {
			Retrans int64 `json:"bytes_retransmitted"`
		} `json:"session_totals"`
	}
	if err := json.Unmarshal(benchkit.LastJSONLine(out), &st); err != nil {
		return -1, err
	}
	return st.Totals.Retrans, nil
}

// startSeeder initialises a repository in the seeder, adds the data set,
// starts the daemon and returns it with the peer address to fetch from and
// the root CID.
func startSeeder(ctx context.Context, e *env, s lab.Node, repo string, quic bool) (*exec.Cmd, string, string, error) {
	if _, err := e.swarmRun(ctx, s, repo, "init"); err != nil {
		return nil, "", "", err
	}
	out, err := e.swarmRun(ctx, s, repo, "add", e.data.path, "-Q")
	if err != nil {
		return nil, "", "", err
	}
	cid := strings.TrimSpace(string(out))
	args := []string{"daemon", "--api", "127.0.0.1:5001"}
	if quic {
		args = append(args, "--listen", "/ip4/"+s.Addr.String()+"/udp/0/quic-v1")
	}
	var lastErr error
	for range 3 { // a daemon started just after `swarm add` may find the repo still locked
		daemon := e.swarmCmd(ctx, s, repo, args...)
		logs := &limitedBuffer{max: 64 << 10}
		daemon.Stdout, daemon.Stderr = logs, logs
		if err := daemon.Start(); err != nil {
			return nil, "", "", err
		}
		peer, err := seederAddr(ctx, e, s, repo, quic)
		if err == nil {
			return daemon, peer, cid, nil
		}
		stopProcess(daemon)
		lastErr = fmt.Errorf("%w: daemon said %q", err, lastLine(logs.Bytes()))
		time.Sleep(time.Second)
	}
	return nil, "", "", lastErr
}

// seederAddr polls `swarm id --json` until the daemon answers and picks
// the peer address on the lab.
func seederAddr(ctx context.Context, e *env, s lab.Node, repo string, quic bool) (string, error) {
	deadline := time.Now().Add(10 * time.Second)
	for {
		out, err := e.swarmRun(ctx, s, repo, "id", "--json")
		var id swarmID
		if err == nil && json.Unmarshal(benchkit.LastJSONLine(out), &id) == nil {
			if a := pickAddr(id, s.Addr.String(), quic); a != "" {
				return a, nil
			}
			err = fmt.Errorf("no usable address on %s in %v", s.Addr, id.Addrs)
		}
		if time.Now().After(deadline) {
			return "", fmt.Errorf("swarm daemon in the seeder: %w", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// pickAddr chooses the address to fetch from: for quic the QUIC address,
// otherwise the first address that is neither TCP nor QUIC (swarm's own
// transport), falling back to any address on the lab.
func pickAddr(id swarmID, ip string, quic bool) string {
	var onLab []string
	for _, a := range id.Addrs {
		if strings.Contains(a, "/ip4/"+ip+"/") {
			onLab = append(onLab, a)
		}
	}
	withID := func(a string) string {
		if strings.Contains(a, "/p2p/") || id.ID == "" {
			return a
		}
		return a + "/p2p/" + id.ID
	}
	for _, a := range onLab {
		isQUIC := strings.Contains(a, "/quic-v1")
		if quic && isQUIC || !quic && !isQUIC && !strings.Contains(a, "/tcp/") {
			return withID(a)
		}
	}
	if len(onLab) > 0 && !quic {
		return withID(onLab[0])
	}
	return ""
}

func (e *env) swarmCmd(ctx context.Context, n lab.Node, repo string, args ...string) *exec.Cmd {
	c := e.lab.Command(ctx, n, e.swarm.path, args...)
	c.Env = append(os.Environ(), "SWARM_REPO="+repo)
	return c
}

func (e *env) swarmRun(ctx context.Context, n lab.Node, repo string, args ...string) ([]byte, error) {
	c := e.swarmCmd(ctx, n, repo, args...)
	out, err := c.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		return out, fmt.Errorf("swarm %s: %v: %s", strings.Join(args, " "), err, firstLine(stderr))
	}
	return out, nil
}

func lastLine(b []byte) string {
	s := strings.TrimSpace(string(b))
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	return s
}
