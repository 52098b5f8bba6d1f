package p2p

import (
	"errors"
	"sync"

	ma "github.com/multiformats/go-multiaddr"

	"github.com/swarm-project/swarm/ratectl"
	"github.com/swarm-project/swarm/ratectl/session"
)

// Registry remembers the transport's live sessions so a node can report
// their rate, RTT, loss and retransmissions (swarm status). The zero value
// is ready to use.
type Registry struct {
	mu    sync.Mutex
	conns map[*session.Conn]ma.Multiaddr
	ended Totals // of the sessions forgotten
}

// Totals are byte counts summed over every session a Registry has seen,
// ended ones included.
type Totals struct {
	BytesSent    int64 // stream bytes sent, retransmissions included
	BytesRetrans int64 // of which retransmissions (and redundant copies)
	BytesRecv    int64
}

func (t *Totals) add(st session.Stats) {
	t.BytesSent += st.BytesSent
	t.BytesRetrans += st.BytesRetrans
	t.BytesRecv += st.BytesRecv
}

// Totals sums the byte counts of every session seen so far.
func (r *Registry) Totals() Totals {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.forgetEndedLocked()
	t := r.ended
	for c := range r.conns {
		t.add(c.Stats())
	}
	return t
}

// forgetEndedLocked drops the sessions that ended, keeping their counts.
func (r *Registry) forgetEndedLocked() {
	for c := range r.conns {
		if c.Err() != nil {
			r.ended.add(c.Stats())
			delete(r.conns, c)
		}
	}
}

// ConnStat is one live session.
type ConnStat struct {
	Remote ma.Multiaddr
	Stats  session.Stats
}

func (r *Registry) add(c *session.Conn, remote ma.Multiaddr) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.conns == nil {
		r.conns = map[*session.Conn]ma.Multiaddr{}
	}
	r.forgetEndedLocked() // so that a daemon nobody asks for its status does not keep them all
	r.conns[c] = remote
}

// Conns lists the live sessions, forgetting those that ended.
func (r *Registry) Conns() []ConnStat {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.forgetEndedLocked()
	var out []ConnStat
	for c, remote := range r.conns {
		out = append(out, ConnStat{Remote: remote, Stats: c.Stats()})
	}
	return out
}

// ErrNoSession: no live swarmrc session has that remote address.
var ErrNoSession = errors.New("no swarmrc session with that peer address")

// SetRate changes the rate control of what this node sends on the session
// to remote (see session.Conn.SetRate).
func (r *Registry) SetRate(remote ma.Multiaddr, cfg ratectl.Config) error {
	r.mu.Lock()
	var found *session.Conn
	for c, a := range r.conns {
		if a.Equal(remote) && c.Err() == nil {
			found = c
		}
	}
	r.mu.Unlock()
	if found == nil {
		return ErrNoSession
	}
	return found.SetRate(cfg)
}
