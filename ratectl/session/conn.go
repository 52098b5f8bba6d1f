package session

import (
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/swarm-project/swarm/ratectl/wire"
)

// Conn is one reliable, ordered, paced byte stream. It implements net.Conn.
// Its state is owned by one goroutine (run); Read and Write meet it only in
// the stream buffers.
type Conn struct {
	ep           *Endpoint
	cfg          *Config
	raddr        net.Addr
	localID      wire.ConnID
	peerID       wire.ConnID
	client       bool
	initialKey   string // server: key in Endpoint.byInitial
	unproven     bool   // server: accepted without a cookie, not yet confirmed; guarded by ep.mu
	earlyPlace   bool   // server: holds one of the endpoint's early places; guarded by ep.mu
	ownsEndpoint bool

	w           datagramWriter // owned by run
	in          chan inPacket
	inBytes     atomic.Int64  // receive buffer memory queued in in
	wake        chan struct{} // the application wrote or read
	closeReq    chan struct{}
	abortReq    chan struct{}
	rateReq     chan rateChange
	closeOnce   sync.Once
	asyncOnce   sync.Once
	readsEnd    chan struct{} // closed by CloseAsync: Read fails at once
	abortOnce   sync.Once
	established chan struct{}
	done        chan struct{}
	err         error // why the loop ended; set before done is closed

	snd    *sendBuffer
	rcv    *recvBuffer
	readDL *deadline
	wrDL   *deadline

	statsMu sync.Mutex
	stats   Stats

	st loopState // owned by run
}

// inPacket is a run of datagrams for a connection, seg bytes each (the
// last may be shorter), in buf, which the connection releases. whole says
// that the run is all buf holds, so that no other connection uses buf.
type inPacket struct {
	buf   *rxBuf
	b     []byte
	seg   int
	whole bool
}

// newConn makes a connection with raddr; cfg is e's configuration for it
// (Config.forPeer, which may ask the kernel about the route: the caller
// does it before taking the endpoint's lock).
func newConn(e *Endpoint, cfg *Config, raddr net.Addr, id wire.ConnID, client bool) *Conn {
	c := &Conn{
		ep: e, cfg: cfg, raddr: raddr, localID: id, client: client,
		in: make(chan inPacket, inQueue), wake: make(chan struct{}, 1),
		closeReq: make(chan struct{}), readsEnd: make(chan struct{}), abortReq: make(chan struct{}), rateReq: make(chan rateChange),
		established: make(chan struct{}), done: make(chan struct{}),
		rcv: newRecvBuffer(2*e.cfg.MaxWindow, e.cfg.Memory), readDL: newDeadline(), wrDL: newDeadline(),
	}
	c.snd = newSendBuffer(e.cfg.SendBuffer, c.wake, e.cfg.Memory)
	c.w = e.io.newWriter()
	c.st.init(c)
	return c
}

// deliver queues datagrams for the loop; false if the queue is full.
func (c *Conn) deliver(p inPacket) bool {
	size := int64(cap(p.buf.b))
	mem := c.ep.cfg.Memory
	if q := c.inBytes.Add(size); q > maxInBytes || q > inFloor && !mem.fits(size) {
		c.inBytes.Add(-size)
		return false
	}
	mem.charge(size)
	select {
	case c.in <- p:
		return true
	default:
		c.inBytes.Add(-size)
		mem.charge(-size)
		return false
	}
}

// received releases a delivered packet's buffer.
func (c *Conn) received(p inPacket) {
	size := int64(cap(p.buf.b))
	c.inBytes.Add(-size)
	c.ep.cfg.Memory.charge(-size)
	p.buf.release()
}

// Read reads stream bytes; it returns io.EOF after the peer's FIN.
func (c *Conn) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for {
		select {
		case <-c.readsEnd:
			return 0, ErrClosed // CloseAsync: as a closed socket's reads fail
		default:
		}
		n, wake, err := c.rcv.read(p)
		if wake {
			signal(c.wake) // credit is due
		}
		if n > 0 {
			return n, nil
		}
		if err != nil {
			return 0, err
		}
		select {
		case <-c.rcv.readable:
		case <-c.readsEnd:
		case <-c.readDL.wait():
			return 0, ErrDeadline
		}
	}
}

// Write queues p for sending. It blocks while the send buffer is full.
func (c *Conn) Write(p []byte) (int, error) {
	total := 0
	for len(p) > 0 {
		n, err := c.snd.write(p)
		total += n
		p = p[n:]
		if err != nil {
			return total, err
		}
		if n > 0 {
			continue
		}
		select {
		case <-c.snd.space:
		case <-c.wrDL.wait():
			return total, ErrDeadline
		}
	}
	return total, nil
}

// CloseWrite ends the stream after the bytes written so far: the peer
// reads io.EOF. The connection stays open for reading.
func (c *Conn) CloseWrite() error {
	c.snd.close()
	return nil
}

// Close ends the stream, waits (up to Config.CloseTimeout) for the peer
// to acknowledge everything written, tells the peer, and releases the
// connection. It returns nil on a clean close.
func (c *Conn) Close() error {
	c.closeOnce.Do(func() {
		c.snd.close()
		close(c.closeReq)
	})
	<-c.done
	c.readDL.stop()
	c.wrDL.stop()
	if c.ownsEndpoint {
		_ = c.ep.Close()
	}
	var ce *CloseError
	if errors.As(c.err, &ce) && ce.Code == CodeNone {
		return nil
	}
	return c.err
}

// CloseAsync is Close without the wait, as closing a TCP socket is: it
// ends the stream after the bytes written so far and returns. The
// connection's goroutine still delivers them and waits for their
// acknowledgement (up to Config.CloseTimeout), then tells the peer;
// closing the Endpoint first ends it at once, with a Close to the peer. A
// Conn that owns its Endpoint (Dial) closes as Close does.
//
// Close waits a round trip at least for the acknowledgement of what was
// written last (a muxer's go-away, a TLS close alert): a `swarm get`
// without a daemon took that long to exit after its download, half a
// second on a 500 ms path.
func (c *Conn) CloseAsync() {
	if c.ownsEndpoint {
		_ = c.Close()
		return
	}
	c.closeOnce.Do(func() {
		c.snd.close()
		close(c.closeReq)
	})
	c.asyncOnce.Do(func() { close(c.readsEnd) })
}

// abort ends the connection at once.
func (c *Conn) abort() {
	c.abortOnce.Do(func() { close(c.abortReq) })
	<-c.done
}

// LocalAddr returns the local address.
func (c *Conn) LocalAddr() net.Addr { return c.ep.LocalAddr() }

// RemoteAddr returns the peer's address.
func (c *Conn) RemoteAddr() net.Addr { return c.raddr }

// SetDeadline sets both deadlines.
func (c *Conn) SetDeadline(t time.Time) error {
	c.readDL.set(t)
	c.wrDL.set(t)
	return nil
}

// SetReadDeadline sets the Read deadline.
func (c *Conn) SetReadDeadline(t time.Time) error { c.readDL.set(t); return nil }

// SetWriteDeadline sets the Write deadline.
func (c *Conn) SetWriteDeadline(t time.Time) error { c.wrDL.set(t); return nil }

// Done is closed when the connection has ended; Err then says why.
func (c *Conn) Done() <-chan struct{} { return c.done }

// Err returns why the connection ended, or nil while it is open.
func (c *Conn) Err() error {
	select {
	case <-c.done:
		return c.err
	default:
		return nil
	}
}

var _ net.Conn = (*Conn)(nil)
var _ io.ReadWriteCloser = (*Conn)(nil)
