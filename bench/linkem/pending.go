package linkem

import "time"

// Pending is a time-ordered queue of items waiting for their due time: a
// binary min-heap on (due, arrival order), so items with equal due times
// leave in the order they came. In-order arrivals, the common case, cost
// O(1) to push.
type Pending[T any] struct {
	items []pendingItem[T]
	seq   uint64
}

type pendingItem[T any] struct {
	due time.Duration
	seq uint64
	v   T
}

// Len is the number of waiting items.
func (p *Pending[T]) Len() int { return len(p.items) }

// Push adds v, due at due.
func (p *Pending[T]) Push(due time.Duration, v T) {
	p.seq++
	p.items = append(p.items, pendingItem[T]{due: due, seq: p.seq, v: v})
	p.up(len(p.items) - 1)
}

// NextDue returns the earliest due time, or false when empty.
func (p *Pending[T]) NextDue() (time.Duration, bool) {
	if len(p.items) == 0 {
		return 0, false
	}
	return p.items[0].due, true
}

// PopDue removes and returns the earliest item if it is due at now.
func (p *Pending[T]) PopDue(now time.Duration) (T, bool) {
	var zero T
	if len(p.items) == 0 || p.items[0].due > now {
		return zero, false
	}
	v := p.items[0].v
	last := len(p.items) - 1
	p.items[0] = p.items[last]
	p.items[last] = pendingItem[T]{}
	p.items = p.items[:last]
	if last > 0 {
		p.down(0)
	}
	return v, true
}

func (p *Pending[T]) less(i, j int) bool {
	a, b := &p.items[i], &p.items[j]
	return a.due < b.due || a.due == b.due && a.seq < b.seq
}

func (p *Pending[T]) up(i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if !p.less(i, parent) {
			return
		}
		p.items[i], p.items[parent] = p.items[parent], p.items[i]
		i = parent
	}
}

func (p *Pending[T]) down(i int) {
	n := len(p.items)
	for {
		c := 2*i + 1
		if c >= n {
			return
		}
		if c+1 < n && p.less(c+1, c) {
			c++
		}
		if !p.less(c, i) {
			return
		}
		p.items[i], p.items[c] = p.items[c], p.items[i]
		i = c
	}
}
