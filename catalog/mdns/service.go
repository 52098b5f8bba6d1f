package mdns

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	libp2pmdns "github.com/libp2p/go-libp2p/p2p/discovery/mdns"
)

// ServiceName is the DNS-SD service Swarm nodes announce and browse for;
// other libp2p applications ("_p2p._udp") do not see it.
const ServiceName = "_swarm._udp"

const (
	// dialers is how many discovered peers are dialled at once.
	dialers = 4
	// queueLen bounds discoveries waiting for a dialer; more are dropped
	// (mDNS announces again every few seconds).
	queueLen = 64
	// dialTimeout bounds one connection attempt.
	dialTimeout = 10 * time.Second
	// yieldDelay is how long the side with the greater peer ID waits for the
	// other to dial first (see Service.yield).
	yieldDelay = 3 * time.Second
	// redialAfter is the least time between two attempts on one peer.
	redialAfter = 30 * time.Second
	// addrTTL keeps a LAN peer's addresses after a connection ends.
	addrTTL = 10 * time.Minute
)

// ConnectFunc connects to a peer (the node's own dialer, which prefers
// Swarm's UDP transport, or host.Connect).
type ConnectFunc func(ctx context.Context, ai peer.AddrInfo) error

// ErrStarted: Start was called twice, or after Close.
var ErrStarted = errors.New("mdns: already started or closed")

// Service announces this host on the LAN and connects to the Swarm peers
// it hears about. It owns its dialling goroutines: Close stops mDNS,
// cancels the dials in progress and waits for them.
type Service struct {
	host       host.Host
	log        *slog.Logger
	connect    ConnectFunc
	yieldDelay time.Duration
	mdns       libp2pmdns.Service

	queue  chan peer.AddrInfo
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu       sync.Mutex
	started  bool
	closed   bool
	lastDial map[peer.ID]time.Time
}

// New prepares a Service on h; nothing is sent before Start. log may be nil.
func New(h host.Host, log *slog.Logger) (*Service, error) {
	if h == nil {
		return nil, errors.New("mdns: nil host")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Service{
		host:       h,
		log:        log,
		connect:    h.Connect,
		yieldDelay: yieldDelay,
		queue:      make(chan peer.AddrInfo, queueLen),
		lastDial:   make(map[peer.ID]time.Time),
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	return s, nil
}

// UseConnect replaces host.Connect as the way discovered peers are dialled.
// Call it before Start.
func (s *Service) UseConnect(fn ConnectFunc) { s.connect = fn }

// Start begins announcing this host and browsing for others on every
// multicast interface of the machine.
func (s *Service) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.startDialersLocked(); err != nil {
		return err
	}
	m := libp2pmdns.NewMdnsService(s.host, ServiceName, s)
	if err := m.Start(); err != nil {
		_ = m.Close()
		return errors.Join(errors.New("mdns: start"), err)
	}
	s.mdns = m
	s.log.Info("mdns started", "service", ServiceName)
	return nil
}

// startDialersLocked starts the goroutines that connect to discovered
// peers. s.mu is held.
func (s *Service) startDialersLocked() error {
	if s.started || s.closed {
		return ErrStarted
	}
	s.started = true
	for range dialers {
		s.wg.Go(s.dialLoop)
	}
	return nil
}

// Close stops announcing and browsing, cancels dials in progress and waits
// for the dialling goroutines. It is idempotent.
func (s *Service) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	m := s.mdns
	s.mu.Unlock()
	var err error
	if m != nil {
		err = m.Close()
	}
	s.cancel()
	s.wg.Wait()
	return err
}
