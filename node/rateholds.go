package node

import (
	"sync"

	"github.com/libp2p/go-libp2p/core/peer"
)

// rateHolds counts, per peer, the running gets that asked it for rates of
// their own. Rate settings belong to the connection, which a daemon's gets
// share: a get that asks for nothing in particular asks the peer for its
// own settings again only when no running get holds others (before,
// every such get undid a running `--rate`).
type rateHolds struct {
	mu sync.Mutex
	n  map[peer.ID]int
}

// hold records a get that set rates on p; the func it returns, called
// once, ends it.
func (h *rateHolds) hold(p peer.ID) (release func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.n == nil {
		h.n = map[peer.ID]int{}
	}
	h.n[p]++
	return func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		if h.n[p]--; h.n[p] <= 0 {
			delete(h.n, p)
		}
	}
}

// held reports whether a running get set rates on p.
func (h *rateHolds) held(p peer.ID) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.n[p] > 0
}
