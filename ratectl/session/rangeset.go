package session

import "sort"

// span is the half-open interval [lo, hi).
type span struct{ lo, hi uint64 }

// rangeSet is a set of uint64 kept as sorted, disjoint, non-adjacent spans.
type rangeSet struct{ s []span }

// add inserts [lo, hi) and reports whether any value was new.
func (r *rangeSet) add(lo, hi uint64) bool {
	if lo >= hi {
		return false
	}
	n := len(r.s)
	if n == 0 || lo > r.s[n-1].hi { // common case: append
		r.s = append(r.s, span{lo, hi})
		return true
	}
	if lo == r.s[n-1].hi {
		r.s[n-1].hi = hi
		return true
	}
	i := sort.Search(n, func(i int) bool { return r.s[i].hi >= lo })
	j := sort.Search(n, func(j int) bool { return r.s[j].lo > hi })
	if i < j && r.s[i].lo <= lo && r.s[i].hi >= hi {
		return false // already covered
	}
	merged := span{lo, hi}
	if i < j {
		merged.lo = min(lo, r.s[i].lo)
		merged.hi = max(hi, r.s[j-1].hi)
	}
	r.s = append(r.s[:i], append([]span{merged}, r.s[j:]...)...)
	return true
}

// remove deletes [lo, hi).
func (r *rangeSet) remove(lo, hi uint64) {
	if lo >= hi || len(r.s) == 0 {
		return
	}
	out := r.s[:0:0]
	for _, sp := range r.s {
		if sp.hi <= lo || sp.lo >= hi {
			out = append(out, sp)
			continue
		}
		if sp.lo < lo {
			out = append(out, span{sp.lo, lo})
		}
		if sp.hi > hi {
			out = append(out, span{hi, sp.hi})
		}
	}
	r.s = out
}

// contains reports whether x is in the set.
func (r *rangeSet) contains(x uint64) bool {
	i := sort.Search(len(r.s), func(i int) bool { return r.s[i].hi > x })
	return i < len(r.s) && r.s[i].lo <= x
}

// covers reports whether all of [lo, hi) is in the set.
func (r *rangeSet) covers(lo, hi uint64) bool {
	i := sort.Search(len(r.s), func(i int) bool { return r.s[i].hi > lo })
	return i < len(r.s) && r.s[i].lo <= lo && r.s[i].hi >= hi
}

// trimBelow removes every value below x.
func (r *rangeSet) trimBelow(x uint64) {
	i := sort.Search(len(r.s), func(i int) bool { return r.s[i].hi > x })
	r.s = r.s[i:]
	if len(r.s) > 0 && r.s[0].lo < x {
		r.s[0].lo = x
	}
}

// first returns the lowest span.
func (r *rangeSet) first() (span, bool) {
	if len(r.s) == 0 {
		return span{}, false
	}
	return r.s[0], true
}

func (r *rangeSet) empty() bool { return len(r.s) == 0 }

// spans returns the number of spans.
func (r *rangeSet) spans() int { return len(r.s) }

// forEachMissing calls fn for each maximal sub-span of [lo, hi) not in the
// set.
func (r *rangeSet) forEachMissing(lo, hi uint64, fn func(lo, hi uint64)) {
	i := sort.Search(len(r.s), func(i int) bool { return r.s[i].hi > lo })
	for lo < hi {
		if i >= len(r.s) || r.s[i].lo >= hi {
			fn(lo, hi)
			return
		}
		if r.s[i].lo > lo {
			fn(lo, r.s[i].lo)
		}
		lo = max(lo, r.s[i].hi)
		i++
	}
}
