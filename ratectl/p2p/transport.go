package p2p

import (
	"context"
	"fmt"
	"net"
	"sync"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/transport"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/swarm-project/swarm/ratectl/session"
)

// Transport is the libp2p transport over rate-controlled UDP sessions.
type Transport struct {
	upgrader transport.Upgrader
	rcmgr    network.ResourceManager
	cfg      session.Config
	reg      *Registry

	mu        sync.Mutex
	listening map[string]*session.Endpoint // by "udp4"/"udp6": dial from the listen socket
	dialers   map[string]*session.Endpoint // dial-only endpoints, made on first use
	closed    bool
}

var _ transport.Transport = (*Transport)(nil)

// New returns a constructor for libp2p.Transport: every connection's rate
// control follows cfg (policy, target and minimum rates). Live sessions are
// recorded in reg if it is not nil. All its endpoints share one memory
// budget: cfg.Memory, or one of session.DefaultMemory.
func New(cfg session.Config, reg *Registry) func(transport.Upgrader, network.ResourceManager) (*Transport, error) {
	if cfg.Memory == nil {
		cfg.Memory = session.NewMemory(session.DefaultMemory)
	}
	return func(u transport.Upgrader, rcmgr network.ResourceManager) (*Transport, error) {
		if rcmgr == nil {
			rcmgr = &network.NullResourceManager{}
		}
		return &Transport{upgrader: u, rcmgr: rcmgr, cfg: cfg, reg: reg,
			listening: map[string]*session.Endpoint{}, dialers: map[string]*session.Endpoint{}}, nil
	}
}

// Protocols lists the multiaddr protocol this transport handles.
func (t *Transport) Protocols() []int { return []int{ProtocolCode} }

// Proxy is false: connections go straight to the peer.
func (t *Transport) Proxy() bool { return false }

// CanDial accepts /ip*/X/udp/N/swarmrc.
func (t *Transport) CanDial(a ma.Multiaddr) bool { return IsAddr(a) }

func family(u *net.UDPAddr) string {
	if u.IP.To4() != nil {
		return "udp4"
	}
	return "udp6"
}

// endpointFor returns the endpoint to dial from: the listening socket of the
// same family if there is one (so the peer sees our listen port), else a
// dial-only socket.
func (t *Transport) endpointFor(raddr *net.UDPAddr) (*session.Endpoint, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return nil, transport.ErrListenerClosed
	}
	fam := family(raddr)
	if ep := t.listening[fam]; ep != nil {
		return ep, nil
	}
	if ep := t.dialers[fam]; ep != nil {
		return ep, nil
	}
	pc, err := net.ListenUDP(fam, nil)
	if err != nil {
		return nil, err
	}
	ep, err := session.NewEndpoint(pc, t.cfg, false)
	if err != nil {
		pc.Close()
		return nil, err
	}
	t.dialers[fam] = ep
	return ep, nil
}

// Dial opens a session to raddr and upgrades it (security, muxer).
func (t *Transport) Dial(ctx context.Context, raddr ma.Multiaddr, p peer.ID) (transport.CapableConn, error) {
	u, err := udpAddr(raddr)
	if err != nil {
		return nil, err
	}
	scope, err := t.rcmgr.OpenConnection(network.DirOutbound, false, raddr)
	if err != nil {
		return nil, err
	}
	c, err := t.dial(ctx, u, p, scope)
	if err != nil {
		scope.Done()
		return nil, err
	}
	return c, nil
}

func (t *Transport) dial(ctx context.Context, u *net.UDPAddr, p peer.ID, scope network.ConnManagementScope) (transport.CapableConn, error) {
	if err := scope.SetPeer(p); err != nil {
		return nil, err
	}
	ep, err := t.endpointFor(u)
	if err != nil {
		return nil, err
	}
	// The security handshake's first flight rides with the session's
	// Initial (early data): one round trip less than waiting for it.
	sc, err := ep.DialEarly(u)
	if err != nil {
		return nil, fmt.Errorf("%s dial %s: %w", ProtocolName, u, err)
	}
	mc, err := wrap(sc)
	if err != nil {
		sc.CloseAsync()
		return nil, err
	}
	mc.lazy = newLazySelect()
	t.reg.add(sc, mc.raddr)
	return t.upgrader.Upgrade(ctx, t, mc, network.DirOutbound, p, scope)
}

// Listen binds a UDP socket and accepts sessions on it.
func (t *Transport) Listen(laddr ma.Multiaddr) (transport.Listener, error) {
	u, err := udpAddr(laddr)
	if err != nil {
		return nil, err
	}
	pc, err := net.ListenUDP(family(u), u)
	if err != nil {
		return nil, err
	}
	ep, err := session.NewEndpoint(pc, t.cfg, true)
	if err != nil {
		pc.Close()
		return nil, err
	}
	bound, err := toMultiaddr(pc.LocalAddr())
	if err != nil {
		ep.Close()
		return nil, err
	}
	t.mu.Lock()
	if t.listening[family(u)] == nil {
		t.listening[family(u)] = ep
	}
	t.mu.Unlock()
	gl := newGatedListener(t, ep, bound)
	return t.upgrader.UpgradeGatedMaListener(t, gl), nil
}

// Close closes the dial-only endpoints (listeners are closed by libp2p).
func (t *Transport) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.closed = true
	for _, ep := range t.dialers {
		ep.Close()
	}
	t.dialers = map[string]*session.Endpoint{}
	return nil
}

func (t *Transport) forget(ep *session.Endpoint) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for fam, e := range t.listening {
		if e == ep {
			delete(t.listening, fam)
		}
	}
}
