package session

import (
	"sync"
)

// sendBuffer holds the bytes written by the application that the peer has
// not yet acknowledged in order. The application appends under the mutex;
// the connection's loop reads and releases.
type sendBuffer struct {
	mu      sync.Mutex
	base    uint64 // stream offset of buf[0]
	buf     []byte
	max     int
	closed  bool          // no more writes (FIN queued)
	failed  error         // set when the connection dies
	space   chan struct{} // signalled when bytes are released or the conn fails
	written chan struct{} // signalled to the loop when bytes are appended
}

func newSendBuffer(max int, written chan struct{}) *sendBuffer {
	return &sendBuffer{max: max, space: make(chan struct{}, 1), written: written}
}

// write appends as much of p as fits and returns how much it took, or an
// error if the stream is closed or failed.
func (b *sendBuffer) write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.failed != nil {
		return 0, b.failed
	}
	if b.closed {
		return 0, ErrClosed
	}
	n := min(len(p), b.max-len(b.buf))
	if n <= 0 {
		return 0, nil
	}
	b.buf = append(b.buf, p[:n]...)
	signal(b.written)
	return n, nil
}

// end returns the offset after the last written byte and whether the
// stream is closed for writing.
func (b *sendBuffer) end() (uint64, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.base + uint64(len(b.buf)), b.closed
}

// read copies bytes at stream offset off into dst and returns the count.
func (b *sendBuffer) read(off uint64, dst []byte) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	if off < b.base {
		return 0
	}
	i := off - b.base
	if i >= uint64(len(b.buf)) {
		return 0
	}
	return copy(dst, b.buf[i:])
}

// release drops bytes below off, which the peer has acknowledged.
func (b *sendBuffer) release(off uint64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if off <= b.base {
		return
	}
	n := min(off-b.base, uint64(len(b.buf)))
	b.buf = b.buf[n:]
	b.base += n
	if cap(b.buf) > 2*b.max || (len(b.buf) < cap(b.buf)/4 && cap(b.buf) > 64<<10) {
		b.buf = append(make([]byte, 0, max(len(b.buf)*2, 64<<10)), b.buf...)
	}
	signal(b.space)
}

// close marks the end of the stream.
func (b *sendBuffer) close() {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	signal(b.written)
}

// fail makes pending and future writes return err.
func (b *sendBuffer) fail(err error) {
	b.mu.Lock()
	if b.failed == nil {
		b.failed = err
	}
	b.mu.Unlock()
	signal(b.space)
}

// signal does a non-blocking send on a 1-buffered channel.
func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}
