package session

import "sync/atomic"

// DefaultMemory is the budget an Endpoint makes for itself when
// Config.Memory is nil.
const DefaultMemory = 256 << 20

// memFloor is what each connection may buffer in each direction whatever
// the budget says, so that a connection always makes progress: at 100 ms
// that is still about 20 Mbit/s.
const memFloor = 256 << 10

// Memory is a budget of stream bytes shared by connections, and by the
// Endpoints whose Config points at it: bytes written but not yet
// acknowledged (send buffers), bytes received beyond a hole (the receive
// buffers' out-of-order part, the part a peer controls), and datagram
// buffers queued for a connection's loop. Each connection may hold
// memFloor bytes in each direction and inFloor of queue beyond it, so
// what they hold together is at most the limit plus 2 × memFloor +
// inFloor per connection. Its methods are safe for concurrent use.
//
// At the limit a writer blocks until acknowledgements free its own
// buffer, a receiver drops (without acknowledging) data it would have to
// hold beyond a hole, which the peer sends again, and receive credit stops
// growing. Bytes that continue the contiguous prefix are always taken:
// they are what frees memory.
type Memory struct {
	limit    int64
	used     atomic.Int64
	held     atomic.Int64 // the part of used held past holes (receive side)
	heldPeak atomic.Int64
	peak     atomic.Int64
	refused  atomic.Int64
}

// NewMemory returns a budget of limit bytes (DefaultMemory if limit ≤ 0).
func NewMemory(limit int64) *Memory {
	if limit <= 0 {
		limit = DefaultMemory
	}
	return &Memory{limit: limit}
}

// MemoryStats is a snapshot of a budget.
type MemoryStats struct {
	Limit, Used, Peak int64
	// HeldPeak is the most held past holes at once (part of Peak).
	HeldPeak int64
	// Refused counts the times a connection was denied memory: a
	// received datagram dropped, or a write held back.
	Refused int64
}

// Stats returns the budget's limit, what is held now and at most since it
// was made, and how often memory was refused.
func (m *Memory) Stats() MemoryStats {
	return MemoryStats{Limit: m.limit, Used: m.used.Load(), Peak: m.peak.Load(), HeldPeak: m.heldPeak.Load(),
		Refused: m.refused.Load()}
}

// admits reports whether a connection holding own bytes, of which
// pending are not charged yet, may hold n more: within the limit, or while
// own+n stays within memFloor. It charges nothing (see charge): the
// receive buffer charges what it really keeps.
func (m *Memory) admits(own, pending, n int64) bool {
	if own+n <= memFloor || m.used.Load()+pending+n <= m.limit {
		return true
	}
	m.refused.Add(1)
	return false
}

// fits reports whether n more bytes stay within the limit, counting a
// refusal if not.
func (m *Memory) fits(n int64) bool {
	if m.used.Load()+n <= m.limit {
		return true
	}
	m.refused.Add(1)
	return false
}

// charge adds n bytes held, and gives them back when n is negative.
func (m *Memory) charge(n int64) {
	if n > 0 {
		m.notePeak(m.used.Add(n))
	} else if n < 0 {
		m.used.Add(n)
	}
}

// takeUpTo charges at most n bytes, as many as the limit allows (all of
// them while own+n stays within memFloor), and returns how many.
func (m *Memory) takeUpTo(own, n int64) int64 {
	for {
		u := m.used.Load()
		g := n
		if own+n > memFloor {
			g = max(0, min(n, m.limit-u), memFloor-own)
		}
		if g <= 0 || m.used.CompareAndSwap(u, u+g) {
			if g > 0 {
				m.notePeak(u + g)
			}
			if g < n {
				m.refused.Add(1)
			}
			return g
		}
	}
}

// hasRoom reports whether a connection holding own bytes would get some
// memory now.
func (m *Memory) hasRoom(own int64) bool { return own < memFloor || m.used.Load() < m.limit }

// tight reports whether what is held past holes takes three quarters of
// what the send buffers leave of the budget: receive credit stops growing.
//
// What the send buffers hold is left out: a seeder busy sending must not
// freeze its own downloads' credit while nothing waits past their holes.
func (m *Memory) tight() bool {
	held := m.held.Load()
	return held >= (m.limit-(m.used.Load()-held))/4*3
}

// chargeHeld charges (or, negative, gives back) n bytes held past a hole.
func (m *Memory) chargeHeld(n int64) {
	raise(&m.heldPeak, m.held.Add(n))
	m.charge(n)
}

func (m *Memory) notePeak(u int64) { raise(&m.peak, u) }

// raise sets p to u if u is larger.
func raise(p *atomic.Int64, u int64) {
	for {
		v := p.Load()
		if u <= v || p.CompareAndSwap(v, u) {
			return
		}
	}
}
