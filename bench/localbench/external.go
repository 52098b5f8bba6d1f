package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/swarm-project/swarm/bench/benchkit"
)

// iperfTransfer moves size bytes with iperf3 TCP over loopback and returns
// the seconds and the CPU of both processes.
func iperfTransfer(ctx context.Context, size int64) (float64, time.Duration, error) {
	srv := exec.CommandContext(ctx, "iperf3", "-s", "-1", "-B", "127.0.0.1", "-p", "5299", "--json")
	var out strings.Builder
	srv.Stdout = &out
	if err := srv.Start(); err != nil {
		return 0, 0, err
	}
	defer srv.Process.Kill()
	time.Sleep(300 * time.Millisecond) // iperf3 -s -1 must not see a probe connection
	cli := exec.CommandContext(ctx, "iperf3", "-c", "127.0.0.1", "-p", "5299", "-n", strconv.FormatInt(size, 10))
	if b, err := cli.CombinedOutput(); err != nil {
		return 0, 0, fmt.Errorf("iperf3: %v: %s", err, b)
	}
	if err := srv.Wait(); err != nil {
		return 0, 0, err
	}
	var rep struct {
		End struct {
			SumReceived struct {
				Seconds float64 `json:"seconds"`
			} `json:"sum_received"`
		} `json:"end"`
	}
	if err := json.Unmarshal([]byte(out.String()), &rep); err != nil {
		return 0, 0, err
	}
	return rep.End.SumReceived.Seconds, cmdCPU(srv) + cmdCPU(cli), nil
}

// swarmTransfer moves the file with the swarm CLI over loopback: a daemon
// serves it, `swarm get` fetches it; the CPU is both processes'. quic
// forces libp2p QUIC.
func swarmTransfer(ctx context.Context, bin, file, dir string, quic bool) (int64, float64, time.Duration, string, error) {
	work, err := os.MkdirTemp(dir, "swarm-")
	if err != nil {
		return 0, 0, 0, "", err
	}
	defer os.RemoveAll(work)
	seed, get := filepath.Join(work, "seed"), filepath.Join(work, "get")
	sw := func(repo string, args ...string) *exec.Cmd {
		c := exec.CommandContext(ctx, bin, args...)
		c.Env = append(os.Environ(), "SWARM_REPO="+repo)
		return c
	}
	for _, r := range []string{seed, get} {
		if b, err := sw(r, "init").CombinedOutput(); err != nil {
			return 0, 0, 0, "", fmt.Errorf("swarm init: %v: %s", err, b)
		}
	}
	b, err := sw(seed, "add", file, "-Q").Output()
	if err != nil {
		return 0, 0, 0, "", fmt.Errorf("swarm add: %w", err)
	}
	cid := strings.TrimSpace(string(b))
	args := []string{"daemon", "--api", "127.0.0.1:0"}
	if quic {
		args = append(args, "--listen", "/ip4/127.0.0.1/udp/0/quic-v1")
	}
	daemon, peer, err := startDaemon(sw, seed, args, quic)
	if err != nil {
		return 0, 0, 0, "", err
	}
	defer func() { daemon.Process.Signal(os.Interrupt); daemon.Wait() }()
	cpu0 := benchkit.ProcCPU(daemon.Process.Pid)
	g := sw(get, "get", cid, "-o", filepath.Join(work, "out.bin"), "--peer", peer, "--json")
	out, err := g.Output()
	if err != nil {
		return 0, 0, 0, "", fmt.Errorf("swarm get: %w", err)
	}
	var rep struct {
		Bytes   int64   `json:"bytes"`
		Seconds float64 `json:"seconds"`
	}
	if err := json.Unmarshal(out, &rep); err != nil {
		return 0, 0, 0, "", fmt.Errorf("swarm get output %q: %w", out, err)
	}
	return rep.Bytes, rep.Seconds, benchkit.ProcCPU(daemon.Process.Pid) - cpu0 + cmdCPU(g), peer, nil
}

// startDaemon starts the daemon and waits for its address, trying again
// (up to three times) when it exits at once, as it may while the repository
// lock of the `swarm add` that just ended is being released.
func startDaemon(sw func(string, ...string) *exec.Cmd, repo string, args []string, quic bool) (*exec.Cmd, string, error) {
	var err error
	for range 3 {
		d := sw(repo, args...)
		var dlog strings.Builder
		d.Stderr, d.Stdout = &dlog, &dlog
		if err = d.Start(); err != nil {
			return nil, "", err
		}
		var peer string
		if peer, err = daemonAddr(sw, repo, quic); err == nil {
			return d, peer, nil
		}
		d.Process.Signal(os.Interrupt)
		d.Wait()
		err = fmt.Errorf("%w: daemon said %q", err, dlog.String())
		time.Sleep(time.Second)
	}
	return nil, "", err
}

func daemonAddr(sw func(string, ...string) *exec.Cmd, repo string, quic bool) (string, error) {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		var id struct {
			ID    string   `json:"id"`
			Addrs []string `json:"addrs"`
		}
		if b, err := sw(repo, "id", "--json").Output(); err == nil && json.Unmarshal(b, &id) == nil {
			if a := pickLoopback(id.Addrs, quic); a != "" {
				if !strings.Contains(a, "/p2p/") {
					a += "/p2p/" + id.ID
				}
				return a, nil
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	return "", errors.New("swarm daemon gave no loopback address")
}

// pickLoopback chooses a loopback address: QUIC for quic; otherwise
// swarm's own transport (neither TCP nor QUIC) if listed, else TCP.
func pickLoopback(addrs []string, quic bool) string {
	rank := func(a string) int {
		isQUIC, isTCP := strings.Contains(a, "/quic-v1"), strings.Contains(a, "/tcp/")
		switch {
		case !strings.HasPrefix(a, "/ip4/127.0.0.1/"):
			return 0
		case quic:
			return map[bool]int{true: 3}[isQUIC]
		case !isQUIC && !isTCP:
			return 3
		case isTCP:
			return 2
		}
		return 0
	}
	best, score := "", 0
	for _, a := range addrs {
		if r := rank(a); r > score {
			best, score = a, r
		}
	}
	return best
}
