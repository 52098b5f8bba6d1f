// Package node assembles a Swarm node: the libp2p host, the Badger index,
// the chunk exchange protocol and the local HTTP API. Close stops every
// service and waits for it.
package node

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/host"

	"github.com/swarm-project/swarm/catalog"
	"github.com/swarm-project/swarm/catalog/dht"
	"github.com/swarm-project/swarm/node/config"
	"github.com/swarm-project/swarm/node/store"
	"github.com/swarm-project/swarm/node/wire"
	"github.com/swarm-project/swarm/ratectl"
	rcp2p "github.com/swarm-project/swarm/ratectl/p2p"
	"github.com/swarm-project/swarm/ratectl/session"
)

// Options configure a node.
type Options struct {
	Repo   string   // repo directory (identity, config, index)
	Listen []string // libp2p listen multiaddrs; nil uses the config's; empty slice: dial only
	Log    *slog.Logger
	// Store, if set, replaces the Badger index (tests use the in-memory store).
	Store catalog.Store
	// RateControl sets the policy and rates of the swarmrc transport for
	// what this node sends (zero value: fair, no ceiling).
	RateControl ratectl.Config
	// Bootstrap adds DHT bootstrap peers to the config's; MDNS turns on LAN
	// discovery; NoDiscovery keeps the node out of the DHT altogether.
	Bootstrap   []string
	MDNS        bool
	NoDiscovery bool
	// MaxDownloadRate (bytes/s, 0: none) caps what this node's downloads
	// ask their swarmrc peers for, split evenly across the peers.
	MaxDownloadRate float64
	// Tracer, if set, receives per-interval rate-control records of every
	// swarmrc connection (SWARM_TRACE).
	Tracer ratectl.Tracer
	// TransportMemory bounds the stream bytes all swarmrc connections
	// buffer together (see session.Memory); 0: session.DefaultMemory.
	TransportMemory int64
}

// Node is a running Swarm node.
type Node struct {
	repo      string
	cfg       config.Config
	host      host.Host
	store     catalog.Store
	log       *slog.Logger
	started   time.Time
	rc        *rcp2p.Registry // live swarmrc sessions
	mem       *session.Memory // their buffer budget
	maxDown   float64
	dht       *dht.DHT // nil without discovery
	listening bool

	ctx    context.Context
	cancel context.CancelFunc

	wg      sync.WaitGroup // goroutines the node owns (the API server)
	ops     sync.WaitGroup // running adds and gets
	closers []func() error // run in reverse order by Close

	mu        sync.Mutex
	transfers map[*transfer]struct{}
	haves     haveTable

	endpointsMu sync.Mutex // one edit of recorded endpoints at a time
	rateHolds   rateHolds  // peers running gets asked for rates of their own
}

// New opens the repo and starts the node.
func New(opts Options) (*Node, error) {
	log := opts.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	cfg, err := config.Load(opts.Repo)
	if err != nil {
		return nil, err
	}
	sk, err := config.LoadIdentity(opts.Repo)
	if err != nil {
		return nil, err
	}
	st := opts.Store
	if st == nil {
		if st, err = store.Open(opts.Repo, log.With("subsystem", "store")); err != nil {
			return nil, err
		}
	}
	listen := opts.Listen
	if listen == nil {
		listen = cfg.Listen
	}
	mem := session.NewMemory(opts.TransportMemory)
	rc := session.Config{Rate: opts.RateControl, Tracer: opts.Tracer, Memory: mem, Logger: log.With("subsystem", "ratectl")}
	reg := &rcp2p.Registry{}
	h, err := newHost(sk, listen, rc, reg)
	if err != nil {
		st.Close()
		return nil, err
	}
	n := &Node{
		repo: opts.Repo, cfg: cfg, host: h, store: st, log: log, rc: reg, mem: mem, maxDown: opts.MaxDownloadRate,
		started: time.Now(), transfers: map[*transfer]struct{}{},
	}
	n.ctx, n.cancel = context.WithCancel(context.Background())
	cs := &chunkServer{ctx: n.ctx, store: st, log: log.With("subsystem", "chunkserver"), rc: reg, ceiling: opts.RateControl,
		haves: n.haveList, endpoints: n.endpointList}
	h.SetStreamHandler(wire.ProtocolID, cs.handle)
	n.listening = len(listen) > 0
	if !opts.NoDiscovery {
		if err := n.startDiscovery(opts, n.listening); err != nil {
			n.Close()
			return nil, fmt.Errorf("starting discovery: %w", err)
		}
	}
	return n, nil
}

// Host returns the libp2p host.
func (n *Node) Host() host.Host { return n.host }

// Store returns the node's index.
func (n *Node) Store() catalog.Store { return n.store }

// Close stops the host (resetting every stream, which ends the chunk
// handlers) and closes the store.
func (n *Node) Close() error {
	n.cancel() // running adds and gets stop (a get keeps its journal)
	for i := len(n.closers) - 1; i >= 0; i-- {
		_ = n.closers[i]()
	}
	n.wg.Wait()
	n.ops.Wait()
	herr := n.host.Close()
	serr := n.store.Close()
	if herr != nil {
		return fmt.Errorf("closing host: %w", herr)
	}
	return serr
}
