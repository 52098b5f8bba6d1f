package lab

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/swarm-project/swarm/bench/linkem"
)

// packet is a buffer from the pool with its length and due time.
type packet struct {
	buf *[bufSize]byte
	n   int
	due time.Duration
}

var bufPool = sync.Pool{New: func() any { return new([bufSize]byte) }}

// direction is one way of one link. The reader goroutine of the source
// device runs the model (send); the direction's own releaser goroutine
// holds packets until their due time and writes them to the destination.
type direction struct {
	name  string
	out   *tunDevice
	clk   clock
	timer *wakeTimer
	in    chan []packet
	free  chan []packet // emptied batches going back to the reader

	mu   sync.Mutex // guards link
	link *linkem.Link

	armMu   sync.Mutex    // orders timer arming between reader and releaser
	armedAt time.Duration // when the releaser wakes next, at the latest
	ticking bool          // the timer fires every releaseTick

	pending  linkem.Pending[packet] // owned by the releaser
	released atomic.Uint64
	refused  atomic.Uint64
}

func newDirection(name string, cfg linkem.Config, seed uint64, out *tunDevice, clk clock) (*direction, error) {
	l, err := linkem.New(cfg, seed)
	if err != nil {
		return nil, err
	}
	t, err := newWakeTimer(out.stop)
	if err != nil {
		return nil, err
	}
	return &direction{name: name, out: out, clk: clk, timer: t, link: l,
		in: make(chan []packet, 4096), free: make(chan []packet, 4096), armedAt: never}, nil
}

// model runs the link model over a batch read at now. It returns the
// packets to deliver and their duplicates; dropped ones go back to the pool.
func (d *direction) model(now time.Duration, pkts []packet) []packet {
	var batch []packet
	select {
	case batch = <-d.free:
	default:
		batch = make([]packet, 0, readBatchMax*2)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, p := range pkts {
		v := d.link.Send(now, p.n)
		if v.Fate != linkem.Deliver {
			bufPool.Put(p.buf)
			continue
		}
		p.due = v.Due
		batch = append(batch, p)
		if v.Dup {
			c := bufPool.Get().(*[bufSize]byte)
			copy(c[:p.n], p.buf[:p.n])
			batch = append(batch, packet{buf: c, n: p.n, due: v.Due})
		}
	}
	return batch
}

// hand passes a batch to the releaser and wakes it if the batch is due
// more than one tick before the releaser planned to wake.
func (d *direction) hand(ctx context.Context, batch []packet) bool {
	first := never
	for _, p := range batch {
		first = min(first, p.due)
	}
	select {
	case d.in <- batch:
	case <-ctx.Done():
		return false
	}
	d.armMu.Lock()
	if first < d.armedAt-releaseTick {
		d.setWake(first, d.clk.now())
	}
	d.armMu.Unlock()
	return true
}

// releaseTick is the release granularity. While packets are due within
// two ticks, the releaser's timer fires every tick (no re-arming, which
// costs a timer reprogramming each time) and releases the packets due
// within half a tick, so a packet leaves within ±releaseTick/2 of its due
// time. Longer gaps use a one-shot wake at the next due time.
const releaseTick = 100 * time.Microsecond

// setWake arms the timer for a wake at next; armMu must be held.
func (d *direction) setWake(next, now time.Duration) {
	switch {
	case next == never:
		if d.armedAt != never || d.ticking {
			_ = d.timer.armAt(never)
		}
		d.armedAt, d.ticking = never, false
	case next-now <= 2*releaseTick:
		if !d.ticking {
			_ = d.timer.tickEvery(releaseTick)
		}
		d.armedAt, d.ticking = now+releaseTick, true
	default:
		_ = d.timer.armAt(next - releaseTick/2)
		d.armedAt, d.ticking = next-releaseTick/2, false
	}
}

// release is the releaser goroutine: it writes packets at their due times.
func (d *direction) release(ctx context.Context) {
	out := make([][]byte, 0, 256)
	done := make([]*[bufSize]byte, 0, 256)
	for ctx.Err() == nil {
		d.drain()
		now := d.clk.now()
		for {
			out, done = d.popDue(now+releaseTick/2, out[:0], done[:0])
			if len(out) == 0 {
				break
			}
			refused, _ := d.out.writeBatch(out)
			d.released.Add(uint64(len(out) - refused))
			d.refused.Add(uint64(refused))
			for _, b := range done {
				bufPool.Put(b)
			}
		}
		next, ok := d.pending.NextDue()
		if !ok {
			next = never
		}
		d.armMu.Lock()
		d.setWake(next, now)
		d.armMu.Unlock()
		if len(d.in) > 0 {
			continue
		}
		if d.timer.wait() != nil {
			return
		}
	}
}

// recycle offers an emptied batch back to the reader.
func (d *direction) recycle(b []packet) {
	select {
	case d.free <- b[:0]:
	default:
	}
}

func (d *direction) drain() {
	for {
		select {
		case b := <-d.in:
			for _, p := range b {
				d.pending.Push(p.due, p)
			}
			d.recycle(b)
		default:
			return
		}
	}
}

func (d *direction) popDue(now time.Duration, out [][]byte, done []*[bufSize]byte) ([][]byte, []*[bufSize]byte) {
	for len(out) < cap(out) {
		p, ok := d.pending.PopDue(now)
		if !ok {
			break
		}
		out = append(out, p.buf[:p.n])
		done = append(done, p.buf)
	}
	return out, done
}

// DirStats are the counters of one direction of a link.
type DirStats struct {
	Name     string
	Link     linkem.Stats
	Released uint64 // packets written to the destination
	Refused  uint64 // packets the destination kernel refused
}

func (d *direction) stats() DirStats {
	d.mu.Lock()
	s := d.link.Stats()
	d.mu.Unlock()
	return DirStats{Name: d.name, Link: s, Released: d.released.Load(), Refused: d.refused.Load()}
}
