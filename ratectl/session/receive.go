package session

import (
	"errors"
	"net"

	"github.com/swarm-project/swarm/ratectl/wire"
)

// readLoop reads batches of messages and dispatches their datagrams until
// the PacketConn fails.
func (e *Endpoint) readLoop() {
	defer close(e.readDone)
	count, size := e.io.rxShape()
	pool := e.small
	if size != pool.size {
		pool = newRxPool(size)
	}
	msgs := make([]rxMsg, count)
	for i := range msgs {
		msgs[i].buf = pool.get()
	}
	defer func() {
		for _, m := range msgs {
			m.buf.release()
		}
	}()
	for {
		n, err := e.io.readBatch(msgs)
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			select {
			case <-e.closing:
			default:
				e.log.Warn("read failed; endpoint stops", "err", err)
			}
			return
		}
		for i := range n {
			m := &msgs[i]
			if m.n > 0 && m.seg > 0 {
				e.dispatchMsg(m)
			}
			if m.buf.refs.Load() > 1 { // a connection holds it: take a fresh one
				m.buf.release()
				m.buf = pool.get()
			}
		}
	}
}

// dispatchMsg dispatches a message, copying a lone small datagram out of
// a large GRO buffer so that the large one is not held for it.
func (e *Endpoint) dispatchMsg(m *rxMsg) {
	if m.n > e.small.size || m.buf.pool == e.small {
		e.dispatch(m)
		return
	}
	small := rxMsg{buf: e.small.get(), n: m.n, seg: min(m.seg, m.n), addr: m.addr}
	copy(small.buf.b, m.buf.b[:m.n])
	e.dispatch(&small)
	small.buf.release()
}

// run is a stretch of a message's datagrams bound for one connection.
type run struct {
	c          *Conn
	start, end int
}

// dispatch routes the datagrams of a message: consecutive ones for the
// same connection go to it together.
func (e *Endpoint) dispatch(m *rxMsg) {
	b := m.buf.b[:m.n]
	var r run
	var lastID wire.ConnID
	var lastC *Conn
	looked := false
	for off := 0; off < len(b); off += m.seg {
		d := b[off:min(off+m.seg, len(b))]
		typ, id, err := wire.PeekHeader(d)
		var c *Conn
		switch {
		case err != nil:
		case typ == wire.TypeInitial:
			c = e.handleInitial(d, m.addr)
		default:
			if !looked || id != lastID {
				var t *tomb
				lastC, t = e.route(id, m.addr)
				lastID, looked = id, true
				if t != nil && wellFormed(typ, d) {
					e.replyFromTomb(t)
				}
			}
			c = lastC
			if c == nil && typ == wire.TypeData {
				c = e.routeEarly(id, m.addr)
			}
		}
		if c != nil && c == r.c && r.end == off {
			r.end = off + len(d)
			continue
		}
		e.deliverRun(m, r)
		r = run{c: c, start: off, end: off + len(d)}
	}
	e.deliverRun(m, r)
}

func (e *Endpoint) deliverRun(m *rxMsg, r run) {
	if r.c == nil {
		return
	}
	m.buf.hold()
	whole := r.start == 0 && r.end == m.n
	if !r.c.deliver(inPacket{buf: m.buf, b: m.buf.b[r.start:r.end], seg: m.seg, whole: whole}) {
		m.buf.release()
	}
}

// routeEarly returns the server connection whose Initial, from addr, was
// sent to id: the client's early data goes there before it has the
// Accept. Only Data may: it does not confirm the connection (a spoofer
// knows the Initial's dest ID, not the server's connection ID).
func (e *Endpoint) routeEarly(id wire.ConnID, addr net.Addr) *Conn {
	if !e.listen {
		return nil
	}
	key := append(addrKey(addr), id[:]...)
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.byInitial[string(key)]
}

// route returns the connection a datagram to id from addr belongs to, or
// nil; for a recently closed connection of that peer, its tomb instead:
// the caller answers a late packet that parses whole (wellFormed) with the
// connection's Close, since the peer missed it.
func (e *Endpoint) route(id wire.ConnID, addr net.Addr) (*Conn, *tomb) {
	e.mu.Lock()
	c := e.conns[id]
	t := e.tombs[id]
	e.mu.Unlock()
	if c == nil {
		if t != nil && sameAddr(t.addr, addr) {
			return nil, t
		}
		return nil, nil
	}
	if !sameAddr(c.raddr, addr) {
		return nil, nil // spoofed or migrated: not supported
	}
	return c, nil
}

// wellFormed reports whether d parses whole as a packet of type typ that
// a closed connection answers: anything but Initial, which has no
// connection yet, and Close (two closed ends would answer each other's);
// the spec drops a packet that does not parse without reply.
func wellFormed(typ wire.Type, d []byte) bool {
	var err error
	switch typ {
	case wire.TypeData:
		_, err = wire.ParseData(d)
	case wire.TypePing:
		_, err = wire.ParsePing(d)
	case wire.TypeAck:
		var a wire.Ack
		err = wire.ParseAck(d, &a)
	case wire.TypeAccept:
		_, err = wire.ParseAccept(d)
	case wire.TypeRetry:
		_, err = wire.ParseRetry(d)
	default:
		return false
	}
	return err == nil
}
