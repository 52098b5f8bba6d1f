package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/swarm-project/swarm/node"
	"github.com/swarm-project/swarm/node/apiclient"
	"github.com/swarm-project/swarm/node/config"
	"github.com/swarm-project/swarm/ratectl"
)

var errRepoLocked = errors.New("repo locked")

// daemonStartWait is how long a command waits for a starting daemon's API.
const daemonStartWait = 15 * time.Second

// waitForDaemon polls the repo's API file until the daemon answers.
func waitForDaemon(ctx context.Context, repo string, d time.Duration) (*apiclient.Client, error) {
	deadline := time.Now().Add(d)
	for {
		c, err := apiclient.FromRepo(ctx, repo)
		if err == nil || time.Now().After(deadline) {
			return c, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// newLogger returns the stderr logger, at SWARM_LOG's level (def if unset).
func newLogger(def slog.Level) *slog.Logger {
	level := def
	switch strings.ToLower(os.Getenv("SWARM_LOG")) {
	case "debug":
		level = slog.LevelDebug
	case "info":
		level = slog.LevelInfo
	case "warn":
		level = slog.LevelWarn
	case "error":
		level = slog.LevelError
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
}

// withClient runs fn against the repo's daemon, or, if none runs, against
// an embedded node that lives for the duration of fn and only dials out.
func withClient(ctx context.Context, e *env, fn func(c *apiclient.Client) error) error {
	repo, err := config.RepoDir(e.repoFlag)
	if err != nil {
		return &usageError{err.Error()}
	}
	c, err := apiclient.FromRepo(ctx, repo)
	if err == nil {
		return fn(c)
	}
	if !errors.Is(err, apiclient.ErrNoDaemon) {
		return err
	}
	n, err := openNode(repo, []string{}, newLogger(slog.LevelWarn), nodeOpts{})
	if errors.Is(err, errRepoLocked) && !holderOf(err).command() {
		// A daemon that is still starting holds the repo before its API
		// answers: wait for it rather than fail.
		if c, werr := waitForDaemon(ctx, repo, daemonStartWait); werr == nil {
			return fn(c)
		}
	}
	if err != nil {
		return err
	}
	defer n.Close()
	ep, err := n.ServeAPI("127.0.0.1:0", false)
	if err != nil {
		return err
	}
	return fn(apiclient.New(ep.Addr, ep.Token))
}

// nodeOpts are the daemon-only settings of a node.
type nodeOpts struct {
	rate      ratectl.Config
	tracer    ratectl.Tracer
	maxDown   float64
	bootstrap []string
	mdns      bool
	memory    int64 // transport buffer budget, bytes
}

// openNode opens the repo's node, turning setup failures into clear errors.
func openNode(repo string, listen []string, log *slog.Logger, o nodeOpts) (*node.Node, error) {
	n, err := node.New(node.Options{Repo: repo, Listen: listen, Log: log, RateControl: o.rate, Tracer: o.tracer, MaxDownloadRate: o.maxDown,
		Bootstrap: o.bootstrap, MDNS: o.mdns, TransportMemory: o.memory})
	switch {
	case err == nil:
		return n, nil
	case errors.Is(err, config.ErrNotInitialized):
		return nil, &usageError{fmt.Sprintf("%s: repo not initialised; run `swarm init` first (or pass --repo)", repo)}
	case errors.Is(err, node.ErrRepoLocked):
		return nil, lockedError(repo, err)
	}
	return nil, err
}
