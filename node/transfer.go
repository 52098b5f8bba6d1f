package node

import (
	"context"
	"sync"

	"github.com/swarm-project/swarm/node/apitype"
)

// transfer is a running add or get, listed by Status.
type transfer struct {
	kind, target string
	mu           sync.Mutex
	progress     apitype.Progress
}

func (t *transfer) set(p apitype.Progress) {
	t.mu.Lock()
	t.progress = p
	t.mu.Unlock()
}

// track registers a transfer. It returns a context that is also cancelled
// when the node closes, a progress callback that records and forwards
// progress, and a func to unregister it. Close waits for every transfer.
func (n *Node) track(ctx context.Context, kind, target string, forward func(apitype.Progress)) (context.Context, func(apitype.Progress), func()) {
	t := &transfer{kind: kind, target: target}
	n.mu.Lock()
	n.transfers[t] = struct{}{}
	n.ops.Add(1)
	n.mu.Unlock()
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(n.ctx, cancel)
	report := func(p apitype.Progress) {
		t.set(p)
		if forward != nil {
			forward(p)
		}
	}
	return ctx, report, func() {
		stop()
		cancel()
		n.mu.Lock()
		delete(n.transfers, t)
		n.mu.Unlock()
		n.ops.Done()
	}
}

func (n *Node) transferList() []apitype.Transfer {
	n.mu.Lock()
	defer n.mu.Unlock()
	out := make([]apitype.Transfer, 0, len(n.transfers))
	for t := range n.transfers {
		t.mu.Lock()
		out = append(out, apitype.Transfer{Kind: t.kind, Target: t.target, Progress: t.progress})
		t.mu.Unlock()
	}
	return out
}
