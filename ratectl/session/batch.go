package session

import (
	"net"
	"sync"
	"sync/atomic"

	"github.com/swarm-project/swarm/ratectl/wire"
)

// datagramIO is how an Endpoint moves datagrams. On Linux UDP sockets it
// batches system calls (sendmmsg, recvmmsg) and, where the kernel has
// them, segmentation offload (UDP GSO and GRO); on any other PacketConn,
// or with Config.DisableBatchIO, it calls ReadFrom and WriteTo once per
// datagram.
type datagramIO interface {
	// readBatch fills msgs (each with a buffer of rxShape's size) with
	// received messages and returns how many. Only the endpoint's read
	// loop calls it.
	readBatch(msgs []rxMsg) (int, error)
	// rxShape is how many messages readBatch wants and how large each
	// buffer must be.
	rxShape() (count, size int)
	// newWriter returns a writer owned by one goroutine.
	newWriter() datagramWriter
	// mode names the path: "portable", "mmsg" or "mmsg+gso+gro" (or one
	// of the offloads), for logs and tests.
	mode() string
}

// datagramWriter sends datagrams. Errors are dropped: the protocol
// recovers from loss.
type datagramWriter interface {
	writeBatch(pkts []datagram, addr net.Addr)
}

// datagram is one packet to send: head followed by body. A Data packet's
// payload stays in the send buffer (body, in up to two pieces) until the
// system call copies it; other packets are all head.
type datagram struct {
	head []byte
	body [2][]byte
}

func (d *datagram) size() int { return len(d.head) + len(d.body[0]) + len(d.body[1]) }

// bytes returns the datagram in one piece, assembled in scratch if it is
// in several.
func (d *datagram) bytes(scratch []byte) []byte {
	if len(d.body[0]) == 0 {
		return d.head
	}
	return append(append(append(scratch[:0], d.head...), d.body[0]...), d.body[1]...)
}

// rxMsg is one received message: n bytes in buf from addr. With GRO a
// message holds several datagrams of seg bytes each, the last possibly
// shorter; otherwise seg is n.
type rxMsg struct {
	buf  *rxBuf
	n    int
	seg  int
	addr net.Addr
}

// rxBuf is a receive buffer. The read loop and each connection handed
// datagrams in it hold a reference; the last release returns it to its
// pool.
type rxBuf struct {
	b    []byte
	refs atomic.Int32
	pool *rxPool
	kept int32 // chunks of the recvBuffer that keeps b (under its lock)
}

func (b *rxBuf) hold() { b.refs.Add(1) }

func (b *rxBuf) release() {
	if b.refs.Add(-1) == 0 {
		b.pool.p.Put(b)
	}
}

// rxPool recycles receive buffers of one size.
type rxPool struct {
	p    sync.Pool
	size int
}

func newRxPool(size int) *rxPool {
	rp := &rxPool{size: size}
	rp.p.New = func() any { return &rxBuf{b: make([]byte, size), pool: rp} }
	return rp
}

// get returns a buffer with one reference, the caller's.
func (p *rxPool) get() *rxBuf {
	b := p.p.Get().(*rxBuf)
	b.refs.Store(1)
	return b
}

// portableIO calls ReadFrom and WriteTo once per datagram.
type portableIO struct{ pc net.PacketConn }

// portableWriter is a connection's WriteTo-per-datagram writer.
type portableWriter struct {
	pc      net.PacketConn
	scratch []byte
}

func (p portableIO) readBatch(msgs []rxMsg) (int, error) {
	n, addr, err := p.pc.ReadFrom(msgs[0].buf.b)
	if err != nil {
		return 0, err
	}
	msgs[0].n, msgs[0].seg, msgs[0].addr = n, n, addr
	return 1, nil
}

func (p portableIO) rxShape() (int, int) { return 1, smallRxBuf }
func (p portableIO) mode() string        { return "portable" }

func (p portableIO) newWriter() datagramWriter {
	return &portableWriter{pc: p.pc, scratch: make([]byte, 0, wire.MaxPacketSize)}
}

func (w *portableWriter) writeBatch(pkts []datagram, addr net.Addr) {
	for i := range pkts {
		_, _ = w.pc.WriteTo(pkts[i].bytes(w.scratch), addr)
	}
}

// Receive buffer sizes: one datagram (one byte more than the largest, so
// that an oversized one shows), or a GRO aggregate of up to 64 KiB.
const (
	smallRxBuf = wire.MaxPacketSize + 1
	groRxBuf   = 1 << 16
)
