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
