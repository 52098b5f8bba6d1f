package node

import (
	"context"
	"fmt"
	"sync"

	"github.com/ipfs/go-cid"

	"github.com/swarm-project/swarm/node/wire"
)

// haveTable tracks the verified chunks of the downloads running on this
// node, so peers can ask which of them it can already serve.
type haveTable struct {
	mu      sync.Mutex
	running map[cid.Cid]*haveBits
}

type haveBits struct {
	n    uint64
	bits []byte
}

func (b *haveBits) set(i uint64) {
	if i < b.n {
		b.bits[i/8] |= 1 << (i % 8)
	}
}

func (h *haveTable) start(root cid.Cid, n uint64, done []uint64) {
	b := &haveBits{n: n, bits: make([]byte, (n+7)/8)}
	for _, i := range done {
		b.set(i)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.running == nil {
		h.running = map[cid.Cid]*haveBits{}
	}
	h.running[root] = b
}

func (h *haveTable) add(root cid.Cid, idx []uint64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if b := h.running[root]; b != nil {
		for _, i := range idx {
			b.set(i)
		}
	}
}

func (h *haveTable) finish(root cid.Cid) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.running, root)
}

// list answers a have query: a running download's bitfield, everything for
// a pinned root, or nothing.
func (n *Node) haveList(ctx context.Context, req wire.Message) wire.Message {
	reply := wire.Message{Type: wire.TypeHaveList, ID: req.ID, State: wire.HaveNone}
	n.haves.mu.Lock()
	if b := n.haves.running[req.CID]; b != nil {
		reply.State, reply.Count, reply.Bits = wire.HavePartial, b.n, append([]byte(nil), b.bits...)
	}
	n.haves.mu.Unlock()
	if reply.State == wire.HavePartial {
		return reply
	}
	pins, err := n.store.Pins(ctx)
	if err != nil {
		return wire.Message{Type: wire.TypeError, ID: req.ID, Code: wire.CodeInternal, Text: "internal error"}
	}
	for _, p := range pins {
		if p.Root.Equals(req.CID) {
			reply.State = wire.HaveAll
		}
	}
	return reply
}

// earlyHaves are the first have queries of a download, sent to every
// peer together with the manifest request: the fetch engine asks for
// have-maps before its first chunk request, and a query of its own would
// cost one more round trip (500 ms on a long path) before any data moves.
// The query needs only the root, not the manifest.
type earlyHaves struct {
	byPeer map[*peerSource]*earlyHave
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// earlyHave is one peer's answer; done closes when it is in.
type earlyHave struct {
	done chan struct{}
	m    wire.Message
	err  error
}

// askHavesEarly sends a have query for root to each peer at once.
func askHavesEarly(ctx context.Context, root cid.Cid, peers []*peerSource) *earlyHaves {
	ctx, cancel := context.WithCancel(ctx)
	e := &earlyHaves{byPeer: make(map[*peerSource]*earlyHave, len(peers)), cancel: cancel}
	for _, ps := range peers {
		h := &earlyHave{done: make(chan struct{})}
		e.byPeer[ps] = h
		e.wg.Go(func() {
			defer close(h.done)
			h.m, h.err = ps.request(ctx, haveQuery(root), wire.TypeHaveList)
		})
	}
	return e
}

// of returns ps's early answer, or nil.
func (e *earlyHaves) of(ps *peerSource) *earlyHave {
	if e == nil {
		return nil
	}
	return e.byPeer[ps]
}

// stop cancels the queries still out and waits for them.
func (e *earlyHaves) stop() {
	e.cancel()
	e.wg.Wait()
}

func haveQuery(root cid.Cid) wire.Message {
	return wire.Message{Type: wire.TypeHave, CID: root}
}

// rootPeer is a peer source bound to one download, so it can answer the
// fetch engine's have queries. Its first answer is the early query's, if
// one was sent.
type rootPeer struct {
	*peerSource
	root cid.Cid
	n    uint64

	mu    sync.Mutex
	early *earlyHave // taken by the first Have
}

func (rp *rootPeer) Have(ctx context.Context) (func(int) bool, bool, error) {
	m, err := rp.haveReply(ctx)
	if err != nil {
		return nil, false, err
	}
	switch m.State {
	case wire.HaveAll:
		return nil, false, nil
	case wire.HaveNone:
		// A peer may serve chunks without knowing the root (added under
		// another manifest): treat as unknown, and let it say not-found.
		return nil, false, nil
	}
	if m.Count != rp.n {
		return nil, false, fmt.Errorf("have list for %d chunks, the manifest has %d", m.Count, rp.n)
	}
	bits := m.Bits
	return func(i int) bool { return bits[i/8]&(1<<(i%8)) != 0 }, true, nil
}

// haveReply is the early query's answer the first time, a fresh query
// after that.
func (rp *rootPeer) haveReply(ctx context.Context) (wire.Message, error) {
	rp.mu.Lock()
	h := rp.early
	rp.early = nil
	rp.mu.Unlock()
	if h == nil {
		return rp.request(ctx, haveQuery(rp.root), wire.TypeHaveList)
	}
	select {
	case <-h.done:
		return h.m, h.err
	case <-ctx.Done():
		return wire.Message{}, ctx.Err()
	}
}
