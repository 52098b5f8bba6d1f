package swarm

// bitset is a fixed-size set of chunk indexes, allocated on first set.
type bitset struct {
	n     int
	words []uint64
}

func newBitset(n int) bitset { return bitset{n: n} }

func (b *bitset) set(i int) {
	if b.words == nil {
		b.words = make([]uint64, (b.n+63)/64)
	}
	b.words[i/64] |= 1 << (i % 64)
}

func (b *bitset) has(i int) bool {
	return b.words != nil && b.words[i/64]&(1<<(i%64)) != 0
}

// intHeap is a min-heap of chunk indexes.
type intHeap struct{ a []int }

func (h *intHeap) Len() int { return len(h.a) }
func (h *intHeap) min() int { return h.a[0] }

func (h *intHeap) push(v int) {
	h.a = append(h.a, v)
	for i := len(h.a) - 1; i > 0; {
		p := (i - 1) / 2
		if h.a[p] <= h.a[i] {
			break
		}
		h.a[p], h.a[i] = h.a[i], h.a[p]
		i = p
	}
}

func (h *intHeap) popMin() {
	n := len(h.a) - 1
	h.a[0] = h.a[n]
	h.a = h.a[:n]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < n && h.a[l] < h.a[m] {
			m = l
		}
		if r < n && h.a[r] < h.a[m] {
			m = r
		}
		if m == i {
			return
		}
		h.a[i], h.a[m] = h.a[m], h.a[i]
		i = m
	}
}
