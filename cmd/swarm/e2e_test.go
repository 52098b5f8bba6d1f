// End-to-end tests: they build the swarm binary and run it as real
// processes (daemons and CLI commands) against real repos on loopback.
// Skipped with -short.
package main_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// swarmBin builds the binary once per test run.
func swarmBin(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end test: skipped with -short")
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "swarm-e2e-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "swarm")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = err
			t.Logf("%s", out)
		}
	})
	if buildErr != nil {
		t.Fatalf("building swarm: %v", buildErr)
	}
	return binPath
}

type result struct {
	stdout, stderr string
	code           int
}

// run runs the binary to completion.
func run(t *testing.T, repo string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, swarmBin(t), append([]string{"--repo", repo}, args...)...)
	var so, se bytes.Buffer
	cmd.Stdout, cmd.Stderr = &so, &se
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("swarm %v: %v", args, err)
	}
	return result{so.String(), se.String(), code}
}

func mustRun(t *testing.T, repo string, args ...string) string {
	t.Helper()
	r := run(t, repo, args...)
	if r.code != 0 {
		t.Fatalf("swarm %v: exit %d\nstdout: %s\nstderr: %s", args, r.code, r.stdout, r.stderr)
	}
	return r.stdout
}

func initRepo(t *testing.T) string {
	t.Helper()
	repo := filepath.Join(t.TempDir(), "repo")
	mustRun(t, repo, "init")
	return repo
}

// startDaemon starts `swarm daemon` on loopback and waits for its API.
// It is stopped with SIGTERM at test end.
func startDaemon(t *testing.T, repo string) {
	t.Helper()
	runDaemon(t, exec.Command(swarmBin(t), "--repo", repo, "daemon",
		"--listen", "/ip4/127.0.0.1/udp/0/swarmrc", "--listen", "/ip4/127.0.0.1/tcp/0",
		"--listen", "/ip4/127.0.0.1/udp/0/quic-v1", "--api", "127.0.0.1:0"))
}

// runDaemon starts cmd, a `swarm daemon`, and waits until it prints its
// API address; it is stopped with SIGTERM at test end.
func runDaemon(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(out)
		once := sync.Once{}
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "API ") {
				once.Do(func() { close(ready) })
			}
		}
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	})
	select {
	case <-ready:
	case <-time.After(30 * time.Second):
		t.Fatal("daemon did not start")
	}
}

func loopbackAddr(t *testing.T, repo string) string {
	t.Helper()
	var id struct {
		ID    string   `json:"id"`
		Addrs []string `json:"addrs"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, repo, "id", "--json")), &id); err != nil {
		t.Fatal(err)
	}
	for _, a := range id.Addrs {
		if strings.Contains(a, "/127.0.0.1/udp/") && strings.Contains(a, "/swarmrc/") {
			return a
		}
	}
	t.Fatalf("no loopback address in %v", id.Addrs)
	return ""
}
