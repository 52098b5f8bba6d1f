package node

import (
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

// track registers a transfer and returns a progress callback that records
// and forwards progress, and a func to unregister it.
func (n *Node) track(kind, target string, forward func(apitype.Progress)) (func(apitype.Progress), func()) {
	t := &transfer{kind: kind, target: target}
	n.mu.Lock()
	n.transfers[t] = struct{}{}
	n.mu.Unlock()
	report := func(p apitype.Progress) {
		t.set(p)
		if forward != nil {
			forward(p)
		}
	}
	return report, func() {
		n.mu.Lock()
		delete(n.transfers, t)
		n.mu.Unlock()
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
