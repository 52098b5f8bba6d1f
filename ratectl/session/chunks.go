package session

// chunk is a stretch of received stream bytes held in a receive buffer,
// either the one the datagram arrived in (no copy) or an arena block.
type chunk struct {
	buf *rxBuf
	p   []byte
}

// chunkQueue is a FIFO of chunks.
type chunkQueue struct {
	s    []chunk
	head int
}

func (q *chunkQueue) empty() bool   { return q.head == len(q.s) }
func (q *chunkQueue) front() *chunk { return &q.s[q.head] }
func (q *chunkQueue) push(c chunk)  { q.s = append(q.s, c) }

// pop drops the front chunk.
func (q *chunkQueue) pop() {
	q.s[q.head] = chunk{}
	q.head++
	if q.head == len(q.s) {
		q.s, q.head = q.s[:0], 0
	} else if q.head > 1024 && q.head*2 > len(q.s) {
		n := copy(q.s, q.s[q.head:])
		clear(q.s[n:])
		q.s, q.head = q.s[:n], 0
	}
}

// arenaPool holds the blocks that received bytes are copied into when
// their datagram's buffer is not kept (see recvBuffer.keep).
var arenaPool = newRxPool(groRxBuf)

// arena hands out space in pooled blocks for copies of received bytes.
// It holds a reference to the block it fills; the chunks copied into a
// block are counted in its kept field by their receive buffer.
type arena struct {
	cur  *rxBuf
	used int
}

// copyIn copies p into the arena and returns the block and the copy.
func (a *arena) copyIn(p []byte) (*rxBuf, []byte) {
	if a.cur == nil || len(a.cur.b)-a.used < len(p) {
		a.release()
		a.cur, a.used = arenaPool.get(), 0
	}
	dst := a.cur.b[a.used : a.used+len(p) : a.used+len(p)]
	copy(dst, p)
	a.used += len(p)
	return a.cur, dst
}

// release drops the arena's reference to its current block.
func (a *arena) release() {
	if a.cur != nil {
		a.cur.release()
		a.cur = nil
	}
}
