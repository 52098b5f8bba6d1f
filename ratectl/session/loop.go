package session

import (
	"time"

	"github.com/swarm-project/swarm/ratectl"
	"github.com/swarm-project/swarm/ratectl/wire"
)

// run is the connection's goroutine: it owns loopState, handles datagrams
// and application events, fires timers and sends.
func (c *Conn) run() {
	defer c.ep.connWG.Done()
	s := &c.st
	s.timer = time.NewTimer(time.Hour)
	defer s.timer.Stop()
	s.now = time.Now()
	s.lastRecv, s.lastSend = s.now, s.now
	if c.client {
		s.startHandshake()
	}
	closeReq := c.closeReq
	for {
		s.now = time.Now()
		if s.step() {
			return
		}
		s.timer.Reset(max(s.wakeAt().Sub(s.now), 0))
		select {
		case p := <-c.in:
			s.now = time.Now()
			if s.handle(p) {
				return
			}
			if s.drainIn() {
				return
			}
			if s.readable { // once for everything drained: one wake-up of the reader
				s.readable = false
				signal(c.rcv.readable)
			}
		case <-c.wake:
		case <-s.timer.C:
		case <-closeReq:
			closeReq = nil
			s.closing = true
			s.closeDeadline = s.now.Add(c.cfg.CloseTimeout)
		case rc := <-c.rateReq:
			rc.done <- s.setRate(rc.cfg)
		case <-c.abortReq:
			s.finish(&CloseError{Code: CodeAbort, Reason: "aborted"}, CodeAbort)
			return
		case <-c.ep.closing:
			s.finish(ErrClosed, CodeAbort)
			return
		}
	}
}

// drainIn handles datagrams already queued, about drainBatch of them.
// The clock is read again for each: the reader goroutine queues datagrams
// while the loop works, and one that arrived after the loop last read the
// clock, handled at that time, gave RTT samples that much too short (a
// seeder at 500 Mbit/s, its CPU shared, saw them down to 59 ms on a
// 100 ms path: a base RTT that low made the delay mode see a queue that
// was not there; see docs/ratectl.md, "A base RTT that is too low").
func (s *loopState) drainIn() bool {
	for n := 0; n < drainBatch; {
		select {
		case p := <-s.c.in:
			s.now = time.Now()
			if s.handle(p) {
				return true
			}
			n += (len(p.b) + p.seg - 1) / p.seg
		default:
			return false
		}
	}
	return false
}

// step runs timers and sends; it reports whether the connection ended.
func (s *loopState) step() bool {
	c, now := s.c, s.now
	if s.checkTimeouts() {
		return true
	}
	if !s.hsDone {
		s.handshakeStep()
		if c.client {
			s.sendData() // early data, within earlyDataLimit
		}
		s.flush()
		return false
	}
	if !s.lossTime.IsZero() && !now.Before(s.lossTime) {
		s.detectLosses()
		s.popFront()
	}
	if at := s.ptoDeadline(); !at.IsZero() && !now.Before(at) {
		s.onPTO()
	}
	read, contig, high := c.rcv.consumed()
	s.rx.updateCredit(now, read, contig, high, s.rtt.smoothed)
	if s.rx.ackDue(now) {
		if s.ampBlocked(maxAckSize) {
			s.rx.dropAck() // not sent: a deadline left due would spin the loop
		} else {
			s.emit(func(b []byte) []byte { return s.rx.buildAck(now, c.peerID, b) })
		}
	}
	c.rcv.setCreditWake(s.rx.creditWakeOffset())
	s.probeMTU()
	s.sendData()
	for pass := 1; s.sendMore && pass < sendPasses; pass++ {
		s.flush()
		s.sendData()
	}
	if now.Sub(s.lastSend) >= c.cfg.KeepAlive && len(s.out) == 0 {
		if s.ampBlocked(wire.PingLen) {
			s.lastSend = now // skipped, not due again at once
		} else {
			s.sendPing()
		}
	}
	s.flush()
	c.trace(now)
	c.publishStats()
	if s.closing && s.finAcked && s.ackedPrefix == s.nextOff {
		s.finish(&CloseError{Code: CodeNone}, CodeNone)
		return true
	}
	return false
}

// checkTimeouts ends the connection on idle, handshake or close timeout.
func (s *loopState) checkTimeouts() bool {
	cfg := s.c.cfg
	switch {
	case s.hsDone && s.now.Sub(s.lastRecv) >= cfg.IdleTimeout:
		s.finish(ErrIdleTimeout, CodeIdle)
	case !s.hsDone && s.c.client && !s.hsDeadline.IsZero() && !s.now.Before(s.hsDeadline):
		s.finish(ErrHandshakeTimeout, CodeAbort)
	case !s.c.client && !s.confirmed && s.now.Sub(s.lastRecv) >= cfg.HandshakeTimeout:
		s.finish(ErrHandshakeTimeout, CodeAbort) // a client that never confirmed
	case s.closing && !s.now.Before(s.closeDeadline):
		s.finish(&CloseError{Code: CodeAbort, Reason: "close timed out"}, CodeAbort)
	default:
		return false
	}
	return true
}

// wakeAt is the next time the loop must run without an event.
func (s *loopState) wakeAt() time.Time {
	cfg := s.c.cfg
	at := s.lastRecv.Add(cfg.IdleTimeout)
	earliest := func(t time.Time) {
		if !t.IsZero() && t.Before(at) {
			at = t
		}
	}
	if !s.hsDone {
		earliest(s.hsNext)
		earliest(s.hsDeadline)
		if !s.paceAt.IsZero() { // early data the pacer held back
			earliest(maxTime(s.paceAt, s.now.Add(minPaceWait)))
		}
		return at
	}
	if !s.c.client && !s.confirmed {
		earliest(s.lastRecv.Add(cfg.HandshakeTimeout))
	}
	earliest(s.lastSend.Add(cfg.KeepAlive))
	earliest(s.lossTime)
	earliest(s.ptoDeadline())
	earliest(s.rx.ackAt)
	if !s.paceAt.IsZero() {
		earliest(maxTime(s.paceAt, s.now.Add(minPaceWait)))
	}
	if s.sendMore {
		earliest(s.now)
	}
	if s.closing {
		earliest(s.closeDeadline)
	}
	if cfg.Tracer != nil {
		earliest(s.now.Add(cfg.TraceInterval))
	}
	return at
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// handle processes a run of datagrams; it reports whether the connection
// ended.
func (s *loopState) handle(p inPacket) bool {
	defer s.c.received(p)
	s.inBuf = nil
	if p.whole && len(p.buf.b) >= groRxBuf {
		s.inBuf = p.buf // a GRO buffer of ours alone: the receive buffer may keep it
	}
	if !s.c.client && !s.confirmed {
		s.unprovenRecv += len(p.b)
	}
	for b := p.b; len(b) > 0; {
		d := b[:min(p.seg, len(b))]
		b = b[len(d):]
		if s.handleOne(d) {
			return true
		}
	}
	return s.insertStaged()
}

// insertStaged hands the payloads staged by onData to the receive buffer
// under one lock; it reports whether the connection ended.
func (s *loopState) insertStaged() bool {
	if len(s.staged) == 0 {
		return false
	}
	bad, readable := s.c.rcv.insertBatch(s.staged)
	s.stagedHeld = 0
	s.readable = s.readable || readable
	clear(s.staged) // drop references to the receive buffer
	s.staged = s.staged[:0]
	if bad {
		s.finish(ErrProtocol, CodeProtocol)
	}
	return bad
}

// handleOne processes one datagram; it reports whether the connection
// ended.
func (s *loopState) handleOne(b []byte) bool {
	typ, dest, err := wire.PeekHeader(b)
	if err != nil {
		return false
	}
	if typ != wire.TypeData && s.insertStaged() {
		return true // keep the order of data and other packets
	}
	switch typ {
	case wire.TypeInitial:
		s.onInitial()
	case wire.TypeRetry:
		s.onRetry(b)
	case wire.TypeAccept:
		s.onAccept(b)
	case wire.TypeData:
		return s.onData(b, dest != s.c.localID)
	case wire.TypeAck:
		return s.onAckPacket(b)
	case wire.TypePing:
		return s.onPing(b)
	case wire.TypeClose:
		return s.onClose(b)
	}
	return false
}

// onData takes a Data packet; early says it came to the Initial's dest ID
// (early data, before the client had the Accept), which does not confirm
// the connection but hands it to Accept (see acceptEarly).
func (s *loopState) onData(b []byte, early bool) bool {
	d, err := wire.ParseData(b)
	if err != nil || !s.hsDone {
		return false
	}
	if early {
		// Early data: only before confirmation, and only what a client may
		// send that way (a spoofer's packet numbers and offsets would
		// otherwise widen the acks it draws, or reach the stream later).
		end := d.Offset + uint64(len(d.Payload))
		if s.c.client || s.confirmed || d.Number >= earlyPacketLimit || end > earlyDataLimit {
			return false
		}
		s.acceptEarly()
	} else if s.heard() {
		return true
	}
	end := d.Offset + uint64(len(d.Payload))
	if end > s.rx.limit {
		return false // beyond the credit granted: drop
	}
	n, past := int64(len(d.Payload)), s.c.rcv.pastPrefix(d.Offset)
	if past && !s.c.rcv.admitsHeld(n, s.stagedHeld) {
		return false // no memory to hold it past a hole: unacknowledged, so the peer sends it again
	}
	if s.rx.onPacket(s.now, d.Number) {
		return false
	}
	if past {
		s.stagedHeld += n
	}
	s.staged = append(s.staged, segmentIn{off: d.Offset, p: d.Payload, fin: d.Fin, buf: s.inBuf})
	return false
}

func (s *loopState) onAckPacket(b []byte) bool {
	if !s.hsDone {
		return false
	}
	a := wire.Ack{Ranges: s.ackRanges[:0]}
	if err := wire.ParseAck(b, &a); err != nil {
		return false
	}
	s.ackRanges = a.Ranges
	if s.heard() {
		return true
	}
	s.onAck(&a)
	return false
}

func (s *loopState) onPing(b []byte) bool {
	p, err := wire.ParsePing(b)
	if err != nil || !s.hsDone {
		return false
	}
	if s.heard() {
		return true
	}
	s.rx.onPacket(s.now, p.Number)
	return false
}

func (s *loopState) onClose(b []byte) bool {
	p, err := wire.ParseClose(b)
	if err != nil || !s.hsDone {
		return false
	}
	s.finish(&CloseError{Code: p.Code, Reason: p.Reason, Remote: true}, 0)
	return true
}

// heard notes a valid packet from the peer; on a server it completes the
// handshake. It reports whether the connection ended (accept queue full).
func (s *loopState) heard() bool {
	s.lastRecv = s.now
	if s.c.client || s.confirmed {
		return false
	}
	s.confirmed = true
	s.c.ep.proven(s.c)
	s.rtt.update(s.now.Sub(s.hsSent), 0)
	s.ctl.OnAck(s.now, ratectl.AckSample{RTT: s.rtt.latest})
	return s.toAccept()
}

// emit encodes one datagram with enc into the output batch and returns
// its size.
func (s *loopState) emit(enc func([]byte) []byte) int {
	return s.emitWithBody(enc, [2][]byte{})
}

// emitWithBody queues a datagram made of what enc encodes followed by
// body, which must stay unchanged until the next flush.
func (s *loopState) emitWithBody(enc func([]byte) []byte, body [2][]byte) int {
	if len(s.out) >= maxBatch || cap(s.outBuf)-len(s.outBuf) < s.c.cfg.MaxDatagram {
		s.flush()
	}
	start := len(s.outBuf)
	s.outBuf = enc(s.outBuf)
	d := datagram{head: s.outBuf[start:len(s.outBuf):len(s.outBuf)], body: body}
	s.out = append(s.out, d)
	if !s.c.client && !s.confirmed {
		s.unprovenSent += d.size()
	}
	return d.size()
}

// flush writes the batch.
func (s *loopState) flush() {
	if len(s.out) == 0 {
		return
	}
	s.c.w.writeBatch(s.out, s.c.raddr)
	s.lastSend = s.now
	s.out = s.out[:0]
	s.outBuf = s.outBuf[:0]
}

// finish ends the connection with err, telling the peer with a Close of
// code unless code is 0 and the close came from the peer.
func (s *loopState) finish(err error, code uint16) {
	c := s.c
	var pkt []byte
	// No Close to a server connection's client that never confirmed: its
	// address is unproven, and may be a spoofed victim's.
	if s.hsDone && !isRemote(err) && (c.client || s.confirmed) {
		cl := wire.Close{DestID: c.peerID, Code: code}
		pkt = cl.Append(nil)
		s.flush()
		c.w.writeBatch([]datagram{{head: pkt}, {head: pkt}}, c.raddr) // twice: one loss must not cost a timeout
	}
	c.err = err
	c.rcv.fail(err)
	c.snd.fail(err)
	c.publishStats()
	c.ep.remove(c, pkt)
	for {
		select {
		case p := <-c.in:
			c.received(p)
			continue
		default:
		}
		break
	}
	close(c.done)
}

func isRemote(err error) bool {
	ce, ok := err.(*CloseError)
	return ok && ce.Remote
}
