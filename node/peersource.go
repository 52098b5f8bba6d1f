package node

import (
	"bufio"
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/swarm-project/swarm/node/wire"
	"github.com/swarm-project/swarm/swarm/fetch"
)

// peerSource fetches blocks from one libp2p peer over /swarm/chunk/1.0.0.
// Each Fetch borrows a stream from a small pool (one request in flight per
// stream), so the download's per-source depth is its number of streams.
type peerSource struct {
	h    host.Host
	peer peer.ID

	mu    sync.Mutex
	idle  []*chunkStream
	reqID uint64
}

type chunkStream struct {
	s   network.Stream
	pr  *progressReader
	r   *bufio.Reader
	buf []byte
	out []byte
}

// idleTimeout fails a request when no byte of its reply arrives for this
// long. A whole chunk may take minutes on a slow path with many requests
// in flight; what matters is that bytes keep coming.
const idleTimeout = 60 * time.Second

// progressReader extends the stream's read deadline before every read, so
// the deadline measures silence, not the length of the reply. Once ctx is
// done it stops extending, and the deadline set on cancellation holds.
type progressReader struct {
	s   network.Stream
	ctx context.Context
}

func (p *progressReader) Read(b []byte) (int, error) {
	if err := p.ctx.Err(); err != nil {
		return 0, err
	}
	_ = p.s.SetReadDeadline(time.Now().Add(idleTimeout))
	return p.s.Read(b)
}

func newPeerSource(h host.Host, p peer.ID) *peerSource {
	return &peerSource{h: h, peer: p}
}

func (ps *peerSource) Name() string { return "peer " + ps.peer.String() }

// Fetch requests one block. A stream that fails is reset and never reused.
func (ps *peerSource) Fetch(ctx context.Context, c cid.Cid) ([]byte, error) {
	cs, id, err := ps.borrow(ctx)
	if err != nil {
		return nil, err
	}
	cs.pr.ctx = ctx
	stop := context.AfterFunc(ctx, func() { _ = cs.s.SetDeadline(time.Now()) })
	data, err := cs.roundTrip(id, c)
	if !stop() || err != nil {
		_ = cs.s.Reset()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	ps.giveBack(cs)
	return data, nil
}

func (ps *peerSource) borrow(ctx context.Context) (*chunkStream, uint64, error) {
	ps.mu.Lock()
	ps.reqID++
	id := ps.reqID
	if n := len(ps.idle); n > 0 {
		cs := ps.idle[n-1]
		ps.idle = ps.idle[:n-1]
		ps.mu.Unlock()
		return cs, id, nil
	}
	ps.mu.Unlock()
	s, err := openChunkStream(ctx, ps.h, ps.peer)
	if err != nil {
		return nil, 0, fmt.Errorf("opening chunk stream to %s: %w", ps.peer, err)
	}
	pr := &progressReader{s: s, ctx: ctx}
	return &chunkStream{s: s, pr: pr, r: bufio.NewReaderSize(pr, 64<<10)}, id, nil
}

func (ps *peerSource) giveBack(cs *chunkStream) {
	_ = cs.s.SetDeadline(time.Time{})
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.idle = append(ps.idle, cs)
}

// close resets every pooled stream.
func (ps *peerSource) close() {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	for _, cs := range ps.idle {
		_ = cs.s.Reset()
	}
	ps.idle = nil
}

// exchange sends one request and reads its reply.
func (cs *chunkStream) exchange(req wire.Message) (wire.Message, error) {
	var err error
	cs.out, err = wire.AppendFrame(cs.out[:0], &req)
	if err != nil {
		return wire.Message{}, err
	}
	if _, err := cs.s.Write(cs.out); err != nil {
		return wire.Message{}, err
	}
	body, err := wire.ReadFrame(cs.r, nil)
	if err != nil {
		return wire.Message{}, err
	}
	m, err := wire.Decode(body)
	if err != nil {
		return wire.Message{}, err
	}
	if m.ID != req.ID {
		return wire.Message{}, fmt.Errorf("%w: reply for request %d, expected %d", wire.ErrMalformed, m.ID, req.ID)
	}
	return m, nil
}

func (cs *chunkStream) roundTrip(id uint64, c cid.Cid) ([]byte, error) {
	m, err := cs.exchange(wire.Message{Type: wire.TypeGet, ID: id, CID: c})
	if err != nil {
		return nil, err
	}
	switch m.Type {
	case wire.TypeBlock:
		return m.Data, nil
	case wire.TypeNotFound:
		return nil, fmt.Errorf("%s: %w", c, fetch.ErrNotHave)
	case wire.TypeError:
		return nil, fmt.Errorf("peer error %d: %s", m.Code, m.Text)
	default:
		return nil, fmt.Errorf("%w: unexpected reply type %d", wire.ErrMalformed, m.Type)
	}
}

// request sends one control request on a pooled stream and returns the
// reply, which must be of type want.
func (ps *peerSource) request(ctx context.Context, req wire.Message, want wire.Type) (wire.Message, error) {
	cs, id, err := ps.borrow(ctx)
	if err != nil {
		return wire.Message{}, err
	}
	req.ID = id
	cs.pr.ctx = ctx
	stop := context.AfterFunc(ctx, func() { _ = cs.s.SetDeadline(time.Now()) })
	m, err := cs.exchange(req)
	if !stop() || err != nil {
		_ = cs.s.Reset()
		return wire.Message{}, err
	}
	if m.Type != want && m.Type != wire.TypeError {
		// A protocol violation: the stream is not trusted again.
		_ = cs.s.Reset()
		return m, fmt.Errorf("%w: unexpected reply type %d", wire.ErrMalformed, m.Type)
	}
	ps.giveBack(cs)
	if m.Type == wire.TypeError {
		return m, fmt.Errorf("peer refused: %s", m.Text)
	}
	return m, nil
}

// requestRate asks the peer to send this download with the given policy
// and rates; it returns what the peer granted.
func (ps *peerSource) requestRate(ctx context.Context, policy uint8, target, minRate uint64) (wire.Message, error) {
	return ps.request(ctx, wire.Message{Type: wire.TypeRate, Policy: policy, Target: target, MinRate: minRate}, wire.TypeRateOK)
}
