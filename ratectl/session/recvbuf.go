package session

import (
	"io"
	"sort"
	"sync"
)

// maxPieces caps the out-of-order pieces a receiver holds, so that a peer
// sending tiny scattered segments cannot make it allocate without bound.
const maxPieces = 1 << 16

// recvBuffer reassembles the peer's stream. The loop inserts segments; the
// application reads the contiguous prefix.
type recvBuffer struct {
	mu       sync.Mutex
	readOff  uint64 // next offset the application reads
	ready    []byte // contiguous bytes from readOff
	have     rangeSet
	pieces   map[uint64][]byte // out-of-order bytes by start offset
	finAt    uint64
	finKnown bool
	failed   error
	readable chan struct{} // signalled when bytes or EOF arrive, or on failure
}

func newRecvBuffer() *recvBuffer {
	return &recvBuffer{pieces: map[uint64][]byte{}, readable: make(chan struct{}, 1)}
}

// contig returns the offset after the contiguous prefix; mu must be held.
func (b *recvBuffer) contig() uint64 { return b.readOff + uint64(len(b.ready)) }

// insert adds payload at off (copying it) and reports whether the stream
// is inconsistent (a FIN that moves).
func (b *recvBuffer) insert(off uint64, p []byte, fin bool) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	end := off + uint64(len(p))
	if fin {
		if b.finKnown && b.finAt != end {
			return true
		}
		b.finAt, b.finKnown = end, true
	}
	if b.finKnown && end > b.finAt {
		return true
	}
	if c := b.contig(); off < c {
		if end <= c {
			b.wake(fin)
			return false
		}
		p, off = p[c-off:], c
	}
	b.store(off, p)
	b.pull()
	b.wake(fin)
	return false
}

// store keeps the parts of [off, off+len(p)) not already held.
func (b *recvBuffer) store(off uint64, p []byte) {
	end := off + uint64(len(p))
	for off < end {
		i := sort.Search(len(b.have.s), func(i int) bool { return b.have.s[i].hi > off })
		stop := end
		if i < len(b.have.s) {
			sp := b.have.s[i]
			if sp.lo <= off { // held already: skip it
				n := min(sp.hi, end) - off
				off, p = off+n, p[n:]
				continue
			}
			stop = min(stop, sp.lo)
		}
		if len(b.pieces) >= maxPieces {
			return
		}
		n := stop - off
		b.pieces[off] = append([]byte(nil), p[:n]...)
		b.have.add(off, stop)
		off, p = stop, p[n:]
	}
}

// pull moves pieces that now continue the prefix into ready.
func (b *recvBuffer) pull() {
	for {
		c := b.contig()
		piece, ok := b.pieces[c]
		if !ok {
			break
		}
		delete(b.pieces, c)
		b.ready = append(b.ready, piece...)
	}
	b.have.trimBelow(b.contig())
}

func (b *recvBuffer) wake(fin bool) {
	if len(b.ready) > 0 || fin || b.eof() {
		signal(b.readable)
	}
}

func (b *recvBuffer) eof() bool { return b.finKnown && b.contig() == b.finAt }

// read copies ready bytes into p. It returns io.EOF at the end of the
// stream, the failure error after a failure, and (0, nil) when it must
// wait.
func (b *recvBuffer) read(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.ready) > 0 {
		n := copy(p, b.ready)
		b.ready = b.ready[n:]
		b.readOff += uint64(n)
		if len(b.ready) == 0 {
			b.ready = b.ready[:0:0] // let the backing array go
		}
		if len(b.ready) > 0 || b.eof() {
			signal(b.readable)
		}
		return n, nil
	}
	if b.eof() {
		return 0, io.EOF
	}
	if b.failed != nil {
		return 0, b.failed
	}
	return 0, nil
}

// consumed returns the read offset and the offset after the contiguous
// prefix.
func (b *recvBuffer) consumed() (read, contig uint64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.readOff, b.contig()
}

// complete reports whether the whole stream up to its FIN has arrived.
func (b *recvBuffer) complete() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.finKnown && b.contig() == b.finAt
}

// fail wakes readers with err once the buffered data is read.
func (b *recvBuffer) fail(err error) {
	b.mu.Lock()
	if b.failed == nil {
		b.failed = err
	}
	b.mu.Unlock()
	signal(b.readable)
}
