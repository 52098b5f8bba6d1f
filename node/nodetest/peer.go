package nodetest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"

	"github.com/swarm-project/swarm/node/wire"
)

// Peer is a real libp2p host that serves blocks from memory over
// /swarm/chunk/1.0.0, with knobs to misbehave. It stands in for a remote
// node whose behaviour a test must control (slow, lying, crashing).
type Peer struct {
	Host host.Host

	mu      sync.Mutex
	blocks  map[cid.Cid][]byte
	delay   time.Duration
	corrupt func(c cid.Cid) bool
	gate    <-chan struct{}
	limit   int64 // serve at most this many blocks before waiting on gate
	urls    []string
	hold    time.Duration // HoldUntilHave's bound
	asked   chan struct{} // closed by the first have query
	askOnce sync.Once
	onPush  func(s network.Stream, req wire.Message)

	Served atomic.Int64 // blocks answered with data
	Haves  atomic.Int64 // have queries answered
	// Unasked counts replies HoldUntilHave sent without a have query.
	Unasked atomic.Int64
}

// NewPeer starts a peer on loopback holding blocks; closed at test end.
func NewPeer(t testing.TB, blocks map[cid.Cid][]byte) *Peer {
	t.Helper()
	h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"), libp2p.DisableRelay())
	if err != nil {
		t.Fatal(err)
	}
	p := &Peer{Host: h, blocks: blocks, asked: make(chan struct{})}
	h.SetStreamHandler(wire.ProtocolID, p.handle)
	t.Cleanup(func() { h.Close() })
	return p
}

// SetDelay makes the peer wait before each reply.
func (p *Peer) SetDelay(d time.Duration) { p.mu.Lock(); p.delay = d; p.mu.Unlock() }

// SetCorrupt makes the peer flip a byte of every block for which f is true.
func (p *Peer) SetCorrupt(f func(c cid.Cid) bool) { p.mu.Lock(); p.corrupt = f; p.mu.Unlock() }

// PauseAfter makes the peer answer n blocks, then hold every further
// reply until gate is closed (a seeder that stalls mid-transfer).
func (p *Peer) PauseAfter(n int64, gate <-chan struct{}) {
	p.mu.Lock()
	p.gate, p.limit = gate, n
	p.mu.Unlock()
}

// SetEndpoints makes the peer answer ENDPOINTS requests with urls, checked
// by nothing (a hostile peer). Without it the peer answers them like a peer
// that predates them: with whatever a GET of that CID would get.
func (p *Peer) SetEndpoints(urls []string) { p.mu.Lock(); p.urls = urls; p.mu.Unlock() }

// HoldUntilHave makes the peer hold every reply until a have query has
// come in, or for at most max, and count those it sent without one in
// Unasked: a download that sends its have query only after the manifest
// arrived finds every reply late.
func (p *Peer) HoldUntilHave(max time.Duration) { p.mu.Lock(); p.hold = max; p.mu.Unlock() }

// OnPush makes f answer PUSH requests (a hostile or unusual pusher); f
// owns the stream. Without it the peer resets PUSH streams, as a node from
// before PUSH does.
func (p *Peer) OnPush(f func(s network.Stream, req wire.Message)) {
	p.mu.Lock()
	p.onPush = f
	p.mu.Unlock()
}

// Put adds or replaces a block (a test may plant a hostile manifest).
func (p *Peer) Put(c cid.Cid, data []byte) { p.mu.Lock(); p.blocks[c] = data; p.mu.Unlock() }

// Addr is the peer's full multiaddr.
func (p *Peer) Addr() string {
	return fmt.Sprintf("%s/p2p/%s", p.Host.Addrs()[0], p.Host.ID())
}

func (p *Peer) reply(req wire.Message) wire.Message {
	p.mu.Lock()
	data, ok := p.blocks[req.CID]
	delay, corrupt, gate, limit, urls, hold := p.delay, p.corrupt, p.gate, p.limit, p.urls, p.hold
	p.mu.Unlock()
	if req.Type == wire.TypeEndpoints && urls != nil {
		return wire.Message{Type: wire.TypeEndpointList, ID: req.ID, URLs: urls}
	}
	if req.Type == wire.TypeHave {
		p.Haves.Add(1)
		p.askOnce.Do(func() { close(p.asked) })
		return wire.Message{Type: wire.TypeHaveList, ID: req.ID, State: wire.HaveAll}
	}
	if hold > 0 {
		select {
		case <-p.asked:
		case <-time.After(hold):
			p.Unasked.Add(1)
		}
	}
	if delay > 0 {
		time.Sleep(delay)
	}
	if gate != nil && p.Served.Load() >= limit {
		<-gate
	}
	if !ok {
		return wire.Message{Type: wire.TypeNotFound, ID: req.ID}
	}
	if corrupt != nil && corrupt(req.CID) && len(data) > 0 {
		data = append([]byte(nil), data...)
		data[len(data)/2] ^= 0x01
	}
	p.Served.Add(1)
	return wire.Message{Type: wire.TypeBlock, ID: req.ID, Data: data}
}

func (p *Peer) handle(s network.Stream) {
	defer s.Close()
	r := bufio.NewReader(s)
	for {
		body, err := wire.ReadFrame(r, nil)
		if err != nil {
			if !errors.Is(err, io.EOF) {
				_ = s.Reset()
			}
			return
		}
		req, err := wire.Decode(body)
		if err == nil && req.Type == wire.TypePush {
			p.mu.Lock()
			f := p.onPush
			p.mu.Unlock()
			if f != nil {
				f(s, req)
				return
			}
		}
		if err != nil || req.Type == wire.TypePush {
			_ = s.Reset() // as a node from before PUSH does
			return
		}
		rep := p.reply(req)
		out, err := wire.AppendFrame(nil, &rep)
		if err != nil {
			_ = s.Reset()
			return
		}
		if _, err := s.Write(out); err != nil {
			return
		}
	}
}
