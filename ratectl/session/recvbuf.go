package session

import (
	"io"
	"math"
	"sync"
	"sync/atomic"
)

// maxHeldSpans caps the out-of-order stretches a receiver holds, so that
// a peer sending tiny scattered segments cannot make it allocate without
// bound. The loop refuses, before acknowledging it, a datagram past the
// prefix once heldSpanSlack spans short of it (more than one batch of
// datagrams), so that store's own check, which comes after the
// acknowledgement was recorded, never drops one.
const (
	maxHeldSpans  = 1 << 16
	heldSpanSlack = 1 << 10
)

// recvBuffer reassembles the peer's stream. The loop inserts segments; the
// application reads the contiguous prefix. Bytes stay in the receive
// buffer they arrived in when the loop says it may keep it (a GRO buffer
// that only this connection uses) and its budget allows; otherwise they
// are copied into an arena. Either way each chunk holds a reference to its
// buffer until it has been read.
type recvBuffer struct {
	mu       sync.Mutex
	readOff  uint64           // next offset the application reads
	contig   uint64           // every byte below is held
	high     uint64           // end of the furthest byte received
	ready    chunkQueue       // the bytes from readOff to contig
	held     map[uint64]chunk // disjoint chunks beyond contig, by offset
	have     rangeSet         // what held covers
	arena    arena            // for copies
	pinned   int              // bytes of receive buffers kept, not copied
	budget   int              // most bytes pinned
	creditAt uint64           // reading past this offset wakes the loop (credit to grant)
	finAt    uint64
	finKnown bool
	failed   error
	readable chan struct{} // signalled when bytes or EOF arrive, or on failure

	// mem is charged for the bytes in held (heldBytes, which the loop
	// reads without the lock to decide whether to take a datagram, as it
	// does contigNow).
	mem       *Memory
	heldBytes atomic.Int64
	contigNow atomic.Uint64
	spansNow  atomic.Int64 // have.spans(), for the loop's scatter check
}

// newRecvBuffer returns a buffer that keeps at most budget bytes of
// receive buffers (beyond that it copies) and charges mem for the bytes
// it holds beyond a hole.
func newRecvBuffer(budget int, mem *Memory) *recvBuffer {
	return &recvBuffer{held: map[uint64]chunk{}, budget: budget, mem: mem, readable: make(chan struct{}, 1)}
}

// pastPrefix reports whether bytes at off would be held beyond the
// contiguous prefix (as far as the loop knows without the lock).
func (b *recvBuffer) pastPrefix(off uint64) bool { return off > b.contigNow.Load() }

// admitsHeld reports whether the loop may take n bytes that would be held
// past the prefix, staged more being held already in its batch: if the
// held stretches are not too scattered and the memory budget lets this
// buffer hold them. The loop drops what it refuses without acknowledging
// it, so the peer sends it again.
func (b *recvBuffer) admitsHeld(n, staged int64) bool {
	if b.spansNow.Load() >= maxHeldSpans-heldSpanSlack {
		return false
	}
	return b.mem.admits(b.heldBytes.Load()+staged, staged, n)
}

// chargeHeld adds n (negative: removes) bytes held beyond the prefix; mu
// is held.
func (b *recvBuffer) chargeHeld(n int64) {
	if n == 0 {
		return
	}
	b.heldBytes.Add(n)
	b.mem.chargeHeld(n)
}

// segmentIn is a received stretch of the stream; buf, if not nil, is the
// receive buffer p lies in, which the receive buffer may keep.
type segmentIn struct {
	off uint64
	p   []byte
	fin bool
	buf *rxBuf
}

// insertBatch inserts segments in order under one lock. It reports
// whether the stream is inconsistent (see insertLocked), stopping there,
// and whether there is something to read; the caller then signals
// readable, once for all the batches it inserts in a row.
func (b *recvBuffer) insertBatch(segs []segmentIn) (bad, readable bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for i := range segs {
		if b.insertLocked(&segs[i]) {
			return true, false
		}
	}
	return false, b.contig > b.readOff || b.eof()
}

// insertLocked adds a segment (the first copy of a byte wins) and reports
// whether the stream is inconsistent: a FIN that moves, one that ends
// before bytes already received (the stream would never reach it: Read
// waited for ever), or bytes past the FIN. The caller bounds
// its end by the credit it granted; mu is held.
func (b *recvBuffer) insertLocked(sg *segmentIn) bool {
	off, p := sg.off, sg.p
	end := off + uint64(len(p))
	if sg.fin {
		if b.finKnown && b.finAt != end || end < b.high {
			return true // a FIN that moves, or one behind bytes already received
		}
		b.finAt, b.finKnown = end, true
	}
	if b.finKnown && end > b.finAt {
		return true
	}
	b.high = max(b.high, end)
	if off < b.contig {
		if end <= b.contig {
			return false
		}
		p, off = p[b.contig-off:], b.contig
	}
	if off == b.contig && len(b.held) == 0 {
		b.ready.push(b.keep(sg.buf, p)) // in order, nothing held beyond: the common case
		b.contig = end
	} else {
		b.store(off, end, p, sg.buf)
	}
	b.contigNow.Store(b.contig)
	return false
}

// store holds the parts of [off, end) not already held and moves what now
// continues the contiguous prefix to ready.
func (b *recvBuffer) store(off, end uint64, p []byte, buf *rxBuf) {
	if b.have.spans() >= maxHeldSpans && off != b.contig {
		return // too scattered: drop, the peer sends it again
	}
	var n int64
	b.have.forEachMissing(off, end, func(lo, hi uint64) {
		b.held[lo] = b.keep(buf, p[lo-off:hi-off])
		n += int64(hi - lo)
	})
	b.have.add(off, end)
	for {
		c, ok := b.held[b.contig]
		if !ok {
			break
		}
		delete(b.held, b.contig)
		b.ready.push(c)
		b.contig += uint64(len(c.p))
		n -= int64(len(c.p))
	}
	b.have.trimBelow(b.contig)
	b.spansNow.Store(int64(b.have.spans()))
	b.chargeHeld(n)
}

// keep returns a chunk for p: in buf itself if there is one and the
// budget allows, else copied into the arena. The receive buffer holds one
// reference per buffer it keeps chunks in, whatever their number.
func (b *recvBuffer) keep(buf *rxBuf, p []byte) chunk {
	if buf == nil || buf.kept == 0 && b.pinned+len(buf.b) > b.budget {
		buf, p = b.arena.copyIn(p)
	} else if buf.kept == 0 {
		b.pinned += len(buf.b)
	}
	if buf.kept == 0 {
		buf.hold()
	}
	buf.kept++
	return chunk{buf: buf, p: p}
}

// drop lets go of a chunk that was read.
func (b *recvBuffer) drop(c *chunk) {
	if c.buf.kept--; c.buf.kept == 0 {
		if c.buf.pool != arenaPool {
			b.pinned -= len(c.buf.b)
		}
		c.buf.release()
	}
}

func (b *recvBuffer) eof() bool { return b.finKnown && b.contig == b.finAt }

// read copies ready bytes into p. It returns io.EOF at the end of the
// stream, the failure error after a failure, and (0, nil) when it must
// wait. wake says that the read crossed the offset set by setCreditWake:
// the loop should grant credit.
func (b *recvBuffer) read(p []byte) (n int, wake bool, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ready.empty() {
		if b.eof() {
			return 0, false, io.EOF
		}
		return 0, false, b.failed
	}
	for n < len(p) && !b.ready.empty() {
		c := b.ready.front()
		k := copy(p[n:], c.p)
		n += k
		if c.p = c.p[k:]; len(c.p) == 0 {
			b.drop(c)
			b.ready.pop()
		}
	}
	b.readOff += uint64(n)
	if !b.ready.empty() || b.eof() {
		signal(b.readable)
	}
	if b.readOff >= b.creditAt {
		wake, b.creditAt = true, math.MaxUint64 // once, until the loop sets it again
	}
	return n, wake, nil
}

// setCreditWake makes a read that reaches off wake the loop.
func (b *recvBuffer) setCreditWake(off uint64) {
	b.mu.Lock()
	b.creditAt = off
	b.mu.Unlock()
}

// consumed returns the read offset and the offset after the contiguous
// prefix.
func (b *recvBuffer) consumed() (read, contig, high uint64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.readOff, b.contig, b.high
}

// fail wakes readers with err once the buffered data is read, and lets
// go of what can no longer be read.
func (b *recvBuffer) fail(err error) {
	b.mu.Lock()
	if b.failed == nil {
		b.failed = err
	}
	for off, c := range b.held {
		b.chargeHeld(-int64(len(c.p)))
		b.drop(&c)
		delete(b.held, off)
	}
	b.have = rangeSet{}
	b.spansNow.Store(0)
	b.arena.release()
	b.mu.Unlock()
	signal(b.readable)
}
