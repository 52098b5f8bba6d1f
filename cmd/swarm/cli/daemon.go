package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/swarm-project/swarm/node"
	"github.com/swarm-project/swarm/node/apiclient"
	"github.com/swarm-project/swarm/node/config"
)

// daemonMemoryLimit is a daemon's soft heap limit unless GOMEMLIMIT is set.
const daemonMemoryLimit = 512 << 20

// minTransportMemory is the least --transport-memory: less leaves every
// connection at its floor (and 0 would mean the default).
const minTransportMemory = 1 << 20

type daemonFlags struct {
	listen    []string
	api       string
	port      int
	rate      rateFlags
	maxDown   string
	bootstrap []string
	mdns      bool
	memory    string
}

func newDaemonCmd(e *env) *cobra.Command {
	var f daemonFlags
	cmd := &cobra.Command{
		Use:   "daemon",
		Short: "Run a node: libp2p host, chunk index and local API, until interrupted",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return runDaemon(cmd.Context(), e, f) },
	}
	cmd.Flags().StringArrayVar(&f.listen, "listen", nil, "libp2p listen multiaddr (repeatable; default from config)")
	cmd.Flags().StringVar(&f.api, "api", "", "local API address HOST:PORT (port 0 picks one; default from config)")
	cmd.Flags().IntVar(&f.port, "port", -1, "listen on this port for TCP and QUIC and the next one for swarmrc (0 picks free ports)")
	cmd.Flags().StringVar(&f.rate.policy, "policy", "fair", "rate-control policy for what this node sends: fixed, fair, high, low")
	cmd.Flags().StringVar(&f.rate.maxUp, "max-upload-rate", "", "ceiling (the target of --policy fixed) for each upload, bits/s, e.g. 200M")
	cmd.Flags().StringVar(&f.rate.minRate, "min-rate", "", "floor for each upload, bits/s, e.g. 10M")
	cmd.Flags().StringVar(&f.maxDown, "max-download-rate", "", "cap on what this node's downloads ask their peers for in all, bits/s")
	cmd.Flags().StringArrayVar(&f.bootstrap, "bootstrap", nil, "DHT bootstrap peer multiaddr with /p2p/ID (repeatable; added to config.json's)")
	cmd.Flags().BoolVar(&f.mdns, "mdns", false, "find and announce peers on the local network by multicast DNS (or \"mdns\": true in config.json)")
	cmd.Flags().StringVar(&f.memory, "transport-memory", "256MiB", "bytes all swarmrc connections may buffer together (unacknowledged sends, data past a loss, queued datagrams), e.g. 1GiB")
	return cmd
}

func runDaemon(ctx context.Context, e *env, f daemonFlags) error {
	repo, err := config.RepoDir(e.repoFlag)
	if err != nil {
		return &usageError{err.Error()}
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(daemonMemoryLimit) // serves many peers at once
	}
	if c, err := apiclient.FromRepo(ctx, repo); err == nil {
		// Waiting for the lock would take lockWait to say the same.
		return fmt.Errorf("%w: a daemon is already running for %s; its API answers at %s", errRepoLocked, repo, c.Base())
	}
	cfg, err := config.Load(repo)
	if err != nil {
		return &usageError{fmt.Sprintf("%v", err)}
	}
	listen := f.listen
	if len(listen) == 0 {
		listen = withPort(cfg.Listen, f.port)
	}
	apiAddr := f.api
	if apiAddr == "" {
		apiAddr = cfg.API
	}
	rc, err := f.rate.config()
	if err != nil {
		return err
	}
	tracer, closeTrace, err := traceFromEnv()
	if err != nil {
		return err
	}
	defer closeTrace()
	maxDown, err := parseRate("--max-download-rate", f.maxDown)
	if err != nil {
		return err
	}
	memory, err := parseSize(f.memory)
	if err != nil {
		return &usageError{fmt.Sprintf("--transport-memory: %v", err)}
	}
	if memory < minTransportMemory {
		return &usageError{fmt.Sprintf("--transport-memory %s: at least 1MiB", f.memory)}
	}
	opts := nodeOpts{rate: rc, tracer: tracer, maxDown: maxDown, bootstrap: f.bootstrap, mdns: f.mdns, memory: memory}
	n, err := openNodeWaiting(ctx, repo, listen, newLogger(slog.LevelInfo), opts)
	if err != nil {
		return err
	}
	defer n.Close()
	ep, err := n.ServeAPI(apiAddr, true)
	if err != nil {
		return err
	}
	id := n.ID()
	fmt.Fprintf(e.stdout, "swarm daemon %s\nAPI http://%s\n", id.ID, ep.Addr)
	for _, a := range id.Addrs {
		fmt.Fprintf(e.stdout, "listening on %s\n", a)
	}
	<-ctx.Done()
	fmt.Fprintln(e.stdout, "shutting down")
	return nil
}

// withPort replaces the port of /tcp/N and /udp/N components when port >= 0.
// swarmrc cannot share QUIC's UDP socket, so it gets port+1 (or 0).
func withPort(addrs []string, port int) []string {
	if port < 0 {
		return addrs
	}
	out := make([]string, len(addrs))
	for i, a := range addrs {
		p := port
		if port > 0 && strings.HasSuffix(a, "/swarmrc") {
			p = port + 1
		}
		parts := strings.Split(a, "/")
		for j := 0; j+1 < len(parts); j++ {
			if parts[j] == "tcp" || parts[j] == "udp" {
				parts[j+1] = fmt.Sprint(p)
			}
		}
		out[i] = strings.Join(parts, "/")
	}
	return out
}

// lockWait is how long a starting daemon waits for a previous process
// (a daemon shutting down, a command finishing) to release the repo.
const lockWait = 15 * time.Second

// openNodeWaiting opens the node, waiting for the repo lock if another
// process is just releasing it (a restart).
func openNodeWaiting(ctx context.Context, repo string, listen []string, log *slog.Logger, o nodeOpts) (*node.Node, error) {
	deadline := time.Now().Add(lockWait)
	for {
		n, err := openNode(repo, listen, log, o)
		if err == nil || !errors.Is(err, errRepoLocked) || time.Now().After(deadline) {
			return n, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}
