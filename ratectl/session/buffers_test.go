package session

import (
	"bytes"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/swarm-project/swarm/ratectl/wire"
)

// TestByteQueue drives a byteQueue with random appends, views and
// discards and compares it with a plain slice.
func TestByteQueue(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var q byteQueue
	var ref []byte
	for step := range 3000 {
		switch op := rng.IntN(3); {
		case op == 0: // append, sometimes across blocks
			p := make([]byte, rng.IntN(3*blockSize/2))
			fill(rng, p)
			q.append(p)
			ref = append(ref, p...)
		case op == 1 && len(ref) > 0: // view
			i := rng.IntN(len(ref))
			v, n := q.view(i, rng.IntN(wire.MaxDataPayload)+1)
			if got := append(append([]byte{}, v[0]...), v[1]...); len(got) != n || !bytes.Equal(got, ref[i:i+n]) {
				t.Fatalf("step %d: view(%d) = %d bytes, wrong", step, i, n)
			}
		default: // discard some
			n := min(len(ref), rng.IntN(2*blockSize))
			q.discard(n)
			ref = ref[n:]
		}
		if q.len() != len(ref) {
			t.Fatalf("step %d: len %d, want %d", step, q.len(), len(ref))
		}
	}
	q.reset()
	if q.len() != 0 || len(q.blocks) != 0 {
		t.Fatalf("after reset: len %d, %d blocks", q.len(), len(q.blocks))
	}
}

// TestRecvBufferReassembles inserts a stream cut at random, shuffled,
// with duplicates and overlapping copies, in random batches, reading as
// it goes; the reader must get every byte once, in order, then EOF.
func TestRecvBufferReassembles(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	data := payload(700 << 10)
	var segs []segmentIn
	for off := 0; off < len(data); {
		n := min(len(data)-off, 1+rng.IntN(3000))
		segs = append(segs, segmentIn{off: uint64(off), p: data[off : off+n], fin: off+n == len(data)})
		if rng.IntN(10) == 0 { // an overlapping copy
			lo := max(0, off-rng.IntN(500))
			hi := min(len(data), off+n+rng.IntN(500))
			segs = append(segs, segmentIn{off: uint64(lo), p: data[lo:hi], fin: hi == len(data)})
		}
		off += n
	}
	segs = append(segs, segs[:len(segs)/5]...) // duplicates
	rng.Shuffle(len(segs), func(i, j int) { segs[i], segs[j] = segs[j], segs[i] })
	b := newRecvBuffer(0, NewMemory(0))
	var got []byte
	chunk := make([]byte, 5000)
	for len(segs) > 0 {
		k := min(len(segs), 1+rng.IntN(40))
		if bad, _ := b.insertBatch(segs[:k]); bad {
			t.Fatal("consistent stream reported inconsistent")
		}
		segs = segs[k:]
		n, _, err := b.read(chunk[:rng.IntN(len(chunk))+1])
		if err != nil {
			t.Fatalf("read: %v", err)
		}
		got = append(got, chunk[:n]...)
	}
	for {
		n, _, err := b.read(chunk)
		got = append(got, chunk[:n]...)
		if err == io.EOF {
			break
		}
		if err != nil || n == 0 {
			t.Fatalf("after %d bytes: %d, %v", len(got), n, err)
		}
	}
	if !bytes.Equal(got, data) {
		t.Fatalf("read %d bytes, want %d identical", len(got), len(data))
	}
}

// TestRecvBufferKeepsBuffers reassembles from segments that lie in
// receive buffers, with a budget that keeps some and copies the rest; a
// buffer whose last reference the test drops is scribbled over (as reuse
// would), so a chunk that kept one without a reference shows. At the end
// no reference and nothing pinned may remain.
func TestRecvBufferKeepsBuffers(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	data := payload(2 << 20)
	pool := newRxPool(groRxBuf)
	var segs []segmentIn
	var bufs []*rxBuf
	for off := 0; off < len(data); {
		buf := pool.get()
		bufs = append(bufs, buf)
		for used := 0; off < len(data); { // a GRO run: several datagrams per buffer
			n := min(len(data)-off, 1000+rng.IntN(500))
			if used+n > len(buf.b) {
				break
			}
			p := buf.b[used : used+n]
			copy(p, data[off:])
			segs = append(segs, segmentIn{off: uint64(off), p: p, fin: off+n == len(data), buf: buf})
			used, off = used+n, off+n
		}
	}
	segs = append(segs, segs[:len(segs)/10]...)
	rng.Shuffle(len(segs), func(i, j int) { segs[i], segs[j] = segs[j], segs[i] })
	b := newRecvBuffer(4*groRxBuf, NewMemory(0))
	for _, sg := range segs {
		sg.buf.hold() // the test's references: one per insert, as a connection's
	}
	for _, buf := range bufs {
		buf.release()
	}
	var got []byte
	chunk := make([]byte, 3000)
	for _, sg := range segs {
		if bad, _ := b.insertBatch([]segmentIn{sg}); bad {
			t.Fatal("consistent stream reported inconsistent")
		}
		if sg.buf.refs.Add(-1) == 0 {
			clear(sg.buf.b) // reuse
		}
		n, _, _ := b.read(chunk[:rng.IntN(len(chunk))+1])
		got = append(got, chunk[:n]...)
	}
	for {
		n, _, err := b.read(chunk)
		got = append(got, chunk[:n]...)
		if err != nil || n == 0 {
			break
		}
	}
	if !bytes.Equal(got, data) {
		t.Fatalf("read %d bytes, want %d identical", len(got), len(data))
	}
	if b.pinned != 0 || b.arena.cur == nil {
		t.Errorf("after reading everything: %d bytes pinned, arena used: %v", b.pinned, b.arena.cur != nil)
	}
	for i, buf := range bufs {
		if buf.refs.Load() != 0 || buf.kept != 0 {
			t.Fatalf("buffer %d: %d references, %d chunks left", i, buf.refs.Load(), buf.kept)
		}
	}
}

// TestRecvBufferFinRules: a FIN that moves, one behind bytes already
// received, or bytes past it, make the stream inconsistent.
func TestRecvBufferFinRules(t *testing.T) {
	early := newRecvBuffer(0, NewMemory(0))
	early.insertBatch([]segmentIn{{off: 0, p: make([]byte, 100)}})
	if bad, _ := early.insertBatch([]segmentIn{{off: 0, p: make([]byte, 50), fin: true}}); !bad {
		// Accepted, Read returned the 100 bytes and then waited for ever
		// for an end at 50 (found by review).
		t.Error("a FIN behind bytes already received accepted")
	}
	b := newRecvBuffer(0, NewMemory(0))
	if bad, readable := b.insertBatch([]segmentIn{{off: 10, p: []byte("abc"), fin: true}}); bad || readable {
		t.Fatal("first FIN refused")
	}
	if bad, _ := b.insertBatch([]segmentIn{{off: 10, p: []byte("abcd")}}); !bad {
		t.Error("bytes past the FIN accepted")
	}
	if bad, _ := b.insertBatch([]segmentIn{{off: 0, p: []byte("x"), fin: true}}); !bad {
		t.Error("a moved FIN accepted")
	}
}

// TestRecvBufferCreditWake: reads wake the loop once they cross the
// offset it set, and only once until it sets another.
func TestRecvBufferCreditWake(t *testing.T) {
	b := newRecvBuffer(0, NewMemory(0))
	b.insertBatch([]segmentIn{{off: 0, p: make([]byte, 1000)}})
	b.setCreditWake(300)
	buf := make([]byte, 200)
	var wakes []bool
	for range 3 {
		_, wake, _ := b.read(buf)
		wakes = append(wakes, wake)
	}
	if wakes[0] || !wakes[1] || wakes[2] {
		t.Errorf("wakes at reads ending 200, 400, 600 with the mark at 300: %v", wakes)
	}
}

// TestDataHeadMatchesWire: a Data header built for a payload sent
// separately, followed by the payload, is exactly wire.Data's encoding.
func TestDataHeadMatchesWire(t *testing.T) {
	payload := []byte("the payload, sent from the send buffer")
	for _, fin := range []bool{false, true} {
		d := wire.Data{DestID: wire.ConnID{1, 2, 3}, Number: 1 << 40, Offset: 77, Fin: fin, Payload: payload}
		want := d.Append(nil)
		head := appendDataHead(nil, &wire.Data{DestID: d.DestID, Number: d.Number, Offset: d.Offset, Fin: fin}, len(payload))
		if got := append(head, payload...); !bytes.Equal(got, want) {
			t.Errorf("fin %v:\n got %x\nwant %x", fin, got, want)
		}
	}
}

// TestCreditCoversHoles checks that the receive window grows to twice what
// is held beyond a hole, so that a repair needing several round trips does
// not run the peer's credit out, and that a slow reader, which leaves no
// hole, does not grow it.
func TestCreditCoversHoles(t *testing.T) {
	c, err := Config{}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(0, 0)
	const mib = 1 << 20
	srtt := 500 * time.Millisecond

	var slow receiver
	slow.init(&c)
	slow.updateCredit(now, 0, 0, 0, 50*time.Millisecond)
	// 1 MiB/s arrives in order for 10 s and nobody reads it: 8 × rate ×
	// RTT is 0.4 MiB, so the window stays at the initial 1 MiB however
	// much is unread.
	for i := 1; i <= 10; i++ {
		slow.updateCredit(now.Add(time.Duration(i)*time.Second), 0, uint64(i)*mib, uint64(i)*mib, 50*time.Millisecond)
	}
	if slow.window != uint64(c.InitialWindow) {
		t.Errorf("slow reader: window %.1f MiB, want the initial %d MiB", float64(slow.window)/mib, c.InitialWindow/mib)
	}

	var holed receiver
	holed.init(&c)
	holed.updateCredit(now, 0, 0, 0, srtt)
	// The same rate, but the first MiB misses a packet whose repairs keep
	// failing: after 10 s, 10 MiB wait past it (8 × rate × RTT is 4 MiB).
	for i := 1; i <= 10; i++ {
		holed.updateCredit(now.Add(time.Duration(i)*time.Second), 0, 0, uint64(i)*mib, srtt)
	}
	if holed.window < 20*mib {
		t.Errorf("10 MiB held past a hole: window %d MiB, want at least 20", holed.window/mib)
	}
	if holed.limit < 20*mib {
		t.Errorf("credit limit %d MiB, want at least 20", holed.limit/mib)
	}
	holed.updateCredit(now.Add(11*time.Second), 0, 0, 100*mib, srtt)
	if holed.window != uint64(c.MaxWindow) {
		t.Errorf("window %d MiB, want the cap %d MiB", holed.window/mib, c.MaxWindow/mib)
	}
}
