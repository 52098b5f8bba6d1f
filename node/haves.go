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

// rootPeer is a peer source bound to one download, so it can answer the
// fetch engine's have queries.
type rootPeer struct {
	*peerSource
	root cid.Cid
	n    uint64
}

func (rp *rootPeer) Have(ctx context.Context) (func(int) bool, bool, error) {
	m, err := rp.request(ctx, wire.Message{Type: wire.TypeHave, CID: rp.root}, wire.TypeHaveList)
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
