package dht

import (
	"context"
	"fmt"
	"log/slog"
	"sync"

	"github.com/ipfs/go-cid"
	kaddht "github.com/libp2p/go-libp2p-kad-dht"
	pb "github.com/libp2p/go-libp2p-kad-dht/pb"
	"github.com/libp2p/go-libp2p/core/host"

	"github.com/swarm-project/swarm/catalog"
)

var _ catalog.Discovery = (*DHT)(nil)

// DHT is a node's view of the private Swarm DHT. It is safe for concurrent
// use. It does not own the host: close the DHT, then the host.
type DHT struct {
	host host.Host
	kad  *kaddht.IpfsDHT
	msgr *pb.ProtocolMessenger // sends provider records ourselves, to count them
	cfg  Config
	log  *slog.Logger

	mu     sync.Mutex
	roots  map[cid.Cid]*rootState
	closed bool

	kick   chan struct{} // reprovide loop: announce pending roots now
	rearm  chan struct{} // reprovide loop: a root became pending, set the retry timer
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// New starts a DHT on h. It does not dial anybody: call Bootstrap for that.
// ctx bounds nothing after New returns; Close stops the DHT.
func New(ctx context.Context, h host.Host, cfg Config) (*DHT, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	kad, err := kaddht.New(h, cfg.kadOptions()...)
	if err != nil {
		return nil, fmt.Errorf("dht: starting kad-dht: %w", err)
	}
	msgr, err := pb.NewProtocolMessenger(kad.MessageSender())
	if err != nil {
		_ = kad.Close()
		return nil, fmt.Errorf("dht: protocol messenger: %w", err)
	}
	d := &DHT{
		host:  h,
		kad:   kad,
		msgr:  msgr,
		cfg:   cfg,
		log:   cfg.Log,
		roots: make(map[cid.Cid]*rootState),
		kick:  make(chan struct{}, 1),
		rearm: make(chan struct{}, 1),
	}
	d.ctx, d.cancel = context.WithCancel(context.Background())
	d.wg.Add(1)
	go d.reprovideLoop(d.ctx)
	d.log.Debug("dht started", "prefix", cfg.ProtocolPrefix, "mode", cfg.Mode,
		"bootstrap", len(cfg.Bootstrap), "reprovide", cfg.ReprovideInterval)
	return d, nil
}

// Close stops re-providing, waits for the reprovide loop and shuts kad-dht
// down. The records this node stored for others are dropped (they are kept
// in memory). Close is idempotent.
func (d *DHT) Close() error {
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return nil
	}
	d.closed = true
	d.mu.Unlock()
	d.cancel()
	d.wg.Wait()
	return d.kad.Close()
}

// RoutingTableSize is the number of DHT servers in the routing table.
func (d *DHT) RoutingTableSize() int { return d.kad.RoutingTable().Size() }

func (d *DHT) isClosed() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.closed
}

// wake asks the reprovide loop to announce pending roots now.
func (d *DHT) wake() { signal(d.kick) }

// signal sends on a channel of capacity 1 without blocking.
func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}
