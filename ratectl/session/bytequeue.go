package session

import "sync"

// blockSize is the unit of send buffer memory. Blocks come from a
// process-wide pool, so a busy connection neither grows slices nor makes
// garbage, and an idle one holds no memory.
const blockSize = 64 << 10

type block [blockSize]byte

var blockPool = sync.Pool{New: func() any { return new(block) }}

// byteQueue is a FIFO of bytes held in pooled blocks: appends at the back,
// views at any index, discards from the front. Bytes do not move while
// they are queued. It is not safe for concurrent use.
type byteQueue struct {
	blocks []*block
	head   int // index of the first byte in blocks[0]
	n      int // bytes held
}

// len returns the number of bytes held.
func (q *byteQueue) len() int { return q.n }

// append copies p to the back.
func (q *byteQueue) append(p []byte) {
	for len(p) > 0 {
		end := q.head + q.n
		if end/blockSize == len(q.blocks) {
			q.blocks = append(q.blocks, blockPool.Get().(*block))
		}
		k := copy(q.blocks[end/blockSize][end%blockSize:], p)
		q.n += k
		p = p[k:]
	}
}

// view returns up to n bytes from index i without copying them, in at
// most two pieces (n must not exceed blockSize), and their length.
func (q *byteQueue) view(i, n int) ([2][]byte, int) {
	var v [2][]byte
	if i < 0 || i >= q.n {
		return v, 0
	}
	n = min(n, q.n-i)
	pos := q.head + i
	first := q.blocks[pos/blockSize][pos%blockSize:]
	if len(first) >= n {
		v[0] = first[:n:n]
		return v, n
	}
	v[0] = first
	v[1] = q.blocks[pos/blockSize+1][: n-len(first) : n-len(first)]
	return v, n
}

// discard drops n bytes (at most len) from the front, returning emptied
// blocks to the pool.
func (q *byteQueue) discard(n int) {
	n = min(n, q.n)
	q.head += n
	q.n -= n
	k := q.head / blockSize
	if q.n == 0 {
		k = len(q.blocks) // keep nothing while empty
		q.head = 0
	}
	for j := range k {
		blockPool.Put(q.blocks[j])
		q.blocks[j] = nil
	}
	if k > 0 {
		q.blocks = append(q.blocks[:0], q.blocks[k:]...)
		if q.n > 0 {
			q.head -= k * blockSize
		}
	}
}

// reset drops everything.
func (q *byteQueue) reset() { q.discard(q.n) }
