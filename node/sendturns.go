package node

import (
	"context"
	"sync"

	"github.com/libp2p/go-libp2p/core/network"
)

// sendTurns makes the block replies on one connection go out one after
// another, in the order they are ready, instead of interleaved.
//
// A downloader keeps several requests in flight on separate streams. If the
// replies shared the connection evenly, they would all finish at about the
// same time, and the pipe would sit empty for a round trip while the next
// requests travel; in turn, each reply finishes a chunk's worth after the
// previous one, so a new request is always on its way while the others are
// still queued. The downloader sees one chunk completing at a time, which
// is also what its depth estimate assumes (swarm/fetch/depth.go).
type sendTurns struct {
	mu sync.Mutex
	m  map[network.Conn]*turn
}

// turn is one connection's write token: a channel of capacity one, whose
// blocked senders the Go runtime serves first in, first out.
type turn struct {
	ch    chan struct{}
	users int
}

// acquire waits for c's turn; the returned release must be called once.
func (t *sendTurns) acquire(ctx context.Context, c network.Conn) (func(), error) {
	t.mu.Lock()
	if t.m == nil {
		t.m = map[network.Conn]*turn{}
	}
	tn := t.m[c]
	if tn == nil {
		tn = &turn{ch: make(chan struct{}, 1)}
		t.m[c] = tn
	}
	tn.users++
	t.mu.Unlock()
	select {
	case tn.ch <- struct{}{}:
		return func() { <-tn.ch; t.leave(c, tn) }, nil
	case <-ctx.Done():
		t.leave(c, tn)
		return nil, ctx.Err()
	}
}

func (t *sendTurns) leave(c network.Conn, tn *turn) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if tn.users--; tn.users == 0 {
		delete(t.m, c)
	}
}
