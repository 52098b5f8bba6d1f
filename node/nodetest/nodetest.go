// Package nodetest builds real nodes for tests: loopback, port 0, temp
// repos, no public bootstrap; and a scriptable test peer (slow, corrupting,
// hostile) that speaks the chunk protocol on a real libp2p host.
package nodetest

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/swarm-project/swarm/node"
	"github.com/swarm-project/swarm/node/config"
)

// Loopback are the listen addresses of test nodes.
var Loopback = []string{"/ip4/127.0.0.1/udp/0/swarmrc", "/ip4/127.0.0.1/tcp/0", "/ip4/127.0.0.1/udp/0/quic-v1"}

// TestingConfig initialises a repo in a temp dir and returns its path.
func TestingConfig(t testing.TB) string {
	t.Helper()
	repo := filepath.Join(t.TempDir(), "repo")
	cfg := config.Default()
	cfg.Listen = Loopback
	if err := config.Init(repo, cfg); err != nil {
		t.Fatal(err)
	}
	return repo
}

// New starts a node on a fresh repo, closed when the test ends.
func New(t testing.TB) *node.Node {
	t.Helper()
	n, err := node.New(node.Options{Repo: TestingConfig(t), Log: Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	return n
}

// Logger logs to the test log at SWARM_LOG level (warn by default).
func Logger(t testing.TB) *slog.Logger {
	level := slog.LevelWarn
	if strings.EqualFold(os.Getenv("SWARM_LOG"), "debug") {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: level}))
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// Addr returns n's loopback swarmrc multiaddr with /p2p.
func Addr(t testing.TB, n *node.Node) string {
	t.Helper()
	return AddrOf(t, n, "/swarmrc/")
}

// AddrOf returns n's loopback multiaddr containing transport (e.g. "/tcp/").
func AddrOf(t testing.TB, n *node.Node, transport string) string {
	t.Helper()
	for _, a := range n.ID().Addrs {
		if strings.Contains(a, "/127.0.0.1/") && strings.Contains(a, transport) {
			return a
		}
	}
	t.Fatal(fmt.Sprintf("node has no loopback %s address: %v", transport, n.ID().Addrs))
	return ""
}
