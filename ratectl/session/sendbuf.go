package session

import (
	"sync"
)

// sendBuffer holds the bytes written by the application that the peer has
// not yet acknowledged in order. The application appends under the mutex;
// the connection's loop reads and releases.
type sendBuffer struct {
	mu      sync.Mutex
	base    uint64 // stream offset of the first byte in q
	q       byteQueue
	sent    uint64 // bytes below were sent at least once (set by the loop)
	starved bool   // the loop ran out of bytes to send: wake it on write
	blocked bool   // a write found no room: wake it when there is enough
	max     int
	closed  bool          // no more writes (FIN queued)
	failed  error         // set when the connection dies
	space   chan struct{} // signalled when a blocked writer has room, or the conn fails
	written chan struct{} // signalled to the loop when bytes are appended
	mem     *Memory       // charged for every byte in q
	memWait bool          // the blocked writer was refused memory, not room
}

// maxUnsent caps the bytes written but not yet sent: Write stays that
// far ahead of the sender, so that what it copied is still in the CPU's
// cache when the kernel copies it out (4 MiB cost about 5 % more CPU on
// loopback than 1 MiB; 32 MiB, the whole send buffer, about 30 % more).
// Unacknowledged bytes are capped by Config.SendBuffer, as always.
const maxUnsent = 1 << 20

func newSendBuffer(max int, written chan struct{}, mem *Memory) *sendBuffer {
	return &sendBuffer{max: max, starved: true, space: make(chan struct{}, 1), written: written, mem: mem}
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
	n := min(len(p), b.room(), blockSize) // short holds: the loop reads meanwhile
	if n > 0 {
		// At the budget's limit the write waits for acks to free this
		// buffer (wakeWriterLocked), as it does at b.max.
		if n = int(b.mem.takeUpTo(int64(b.q.len()), int64(n))); n == 0 {
			b.memWait = true
		}
	}
	if n <= 0 {
		b.blocked = true
		return 0, nil
	}
	b.q.append(p[:n])
	if b.starved { // else the loop has bytes to send and comes back by itself
		b.starved = false
		signal(b.written)
	}
	return n, nil
}

// room is how many bytes a write may add now; mu must be held.
func (b *sendBuffer) room() int {
	unsent := int(b.base + uint64(b.q.len()) - b.sent)
	return min(b.max-b.q.len(), maxUnsent-unsent)
}

// wakeWriterLocked wakes a blocked writer once half the buffer is free
// again, so that it writes a lot at once instead of waking per packet
// (TCP wakes writers at a third); mu must be held.
func (b *sendBuffer) wakeWriterLocked() {
	if !b.blocked || b.room() < min(b.max, maxUnsent)/2 {
		return
	}
	if b.memWait && !b.mem.hasRoom(int64(b.q.len())) {
		return // refused memory: waking it at every ack would only refuse it again
	}
	b.blocked, b.memWait = false, false
	signal(b.space)
}

// endLocked returns the offset after the last written byte and whether
// the stream is closed for writing; mu must be held.
func (b *sendBuffer) endLocked() (uint64, bool) {
	return b.base + uint64(b.q.len()), b.closed
}

// markSentLocked notes that every byte below off was sent, letting Write
// go on; mu must be held.
func (b *sendBuffer) markSentLocked(off uint64) {
	if off > b.sent {
		b.sent = off
		b.wakeWriterLocked()
	}
}

// starveLocked notes that the loop found nothing more to send: the next
// write wakes it. mu must be held.
func (b *sendBuffer) starveLocked() { b.starved = true }

// viewLocked returns up to n bytes at stream offset off, in at most two
// pieces that alias the buffer, and their length; mu must be held. The
// bytes stay valid until the loop releases them.
func (b *sendBuffer) viewLocked(off uint64, n int) ([2][]byte, int) {
	if off < b.base || off-b.base >= uint64(b.q.len()) {
		return [2][]byte{}, 0
	}
	return b.q.view(int(off-b.base), n)
}

// release drops bytes below off, which the peer has acknowledged.
func (b *sendBuffer) release(off uint64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if off <= b.base {
		return
	}
	n := min(off-b.base, uint64(b.q.len()))
	b.q.discard(int(n))
	b.mem.charge(-int64(n))
	b.base += n
	b.wakeWriterLocked()
}

// close marks the end of the stream.
func (b *sendBuffer) close() {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	signal(b.written)
	signal(b.space) // a Write waiting for room returns ErrClosed
}

// fail makes pending and future writes return err, and frees the buffer.
func (b *sendBuffer) fail(err error) {
	b.mu.Lock()
	if b.failed == nil {
		b.failed = err
	}
	b.base += uint64(b.q.len())
	b.mem.charge(-int64(b.q.len()))
	b.q.reset()
	b.mu.Unlock()
	signal(b.space)
}

// signal does a non-blocking send on a 1-buffered channel.
func signal(c chan struct{}) {
	if len(c) > 0 {
		return // already signalled
	}
	select {
	case c <- struct{}{}:
	default:
	}
}
