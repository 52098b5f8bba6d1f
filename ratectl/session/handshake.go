package session

import (
	"crypto/rand"
	"time"

	"github.com/swarm-project/swarm/ratectl"
	"github.com/swarm-project/swarm/ratectl/wire"
)

// startHandshake sends the client's first Initial.
//
// Until the Accept names the server's ID, data goes to the Initial's dest
// ID, which the server maps to the connection the Initial created (early
// data, ratectl-wire.md section 3.1), within earlyDataLimit: a client
// speaking first (TLS's ClientHello) saves a round trip.
func (s *loopState) startHandshake() {
	_, _ = rand.Read(s.initialDest[:])
	s.c.peerID = s.initialDest
	s.peerLimit = earlyDataLimit
	s.hsBackoff = initialHandshake
	s.hsDeadline = s.now.Add(s.c.cfg.HandshakeTimeout)
	s.sendInitial()
}

func (s *loopState) sendInitial() {
	p := wire.Initial{
		DestID: s.initialDest, SrcID: s.c.localID, Version: wire.Version,
		Window: s.rx.limit, Cookie: s.cookie,
	}
	s.emit(p.Append)
	if s.hsSent.IsZero() {
		s.hsSent = s.now // time the first copy: a late answer overestimates, never under
	}
	s.hsNext = s.now.Add(s.hsBackoff)
	s.hsBackoff = min(2*s.hsBackoff, maxHandshakeWait)
}

// handshakeStep retransmits the client's Initial when due.
func (s *loopState) handshakeStep() {
	if s.c.client && !s.hsNext.IsZero() && !s.now.Before(s.hsNext) {
		s.sendInitial()
	}
}

// onRetry takes the server's cookie and repeats the Initial with it.
func (s *loopState) onRetry(b []byte) {
	r, err := wire.ParseRetry(b)
	if err != nil || !s.c.client || s.hsDone || s.cookie != nil || r.OrigDestID != s.initialDest {
		return
	}
	s.cookie = append([]byte(nil), r.Cookie...)
	s.hsBackoff = max(initialHandshake, 2*s.now.Sub(s.hsSent))
	s.hsSent = time.Time{}
	s.sendInitial()
	s.rewindEarly()
}

// rewindEarly forgets the early data sent before a Retry, which the
// server dropped without state: it goes again from the start, right after
// the Initial with the cookie, and is neither counted as lost nor shown
// to the rate controller (it was never on a path to a connection).
func (s *loopState) rewindEarly() {
	s.firstPN, s.sent, s.sentHead = s.nextPN, s.sent[:0], 0
	s.inflight, s.nextOff, s.dupUpTo = 0, 0, 0
	s.retx, s.ackedData = rangeSet{}, rangeSet{}
	s.tailCopy, s.tailCopies = segment{}, 0
	s.finSent, s.probes = false, 0
}

// onAccept completes the client's handshake and confirms it with a Ping.
func (s *loopState) onAccept(b []byte) {
	a, err := wire.ParseAccept(b)
	if err != nil || !s.c.client || s.hsDone {
		return
	}
	s.c.peerID = a.SrcID
	s.peerLimit = a.Window
	s.rtt.update(s.now.Sub(s.hsSent), 0)
	s.ctl.OnAck(s.now, ratectl.AckSample{RTT: s.rtt.latest})
	s.hsDone = true
	s.hsNext, s.hsDeadline = time.Time{}, time.Time{}
	s.lastRecv = s.now
	s.sendPing()
	close(s.c.established)
}

// onInitial (server) answers an Initial, first or repeated, with Accept.
func (s *loopState) onInitial() {
	if s.c.client || s.confirmed {
		return
	}
	if !s.hsDone {
		s.hsDone = true
		s.lastRecv = s.now
		close(s.c.established)
	}
	a := wire.Accept{DestID: s.c.peerID, SrcID: s.c.localID, Window: s.rx.limit}
	s.emit(a.Append)
	if s.hsSent.IsZero() {
		s.hsSent = s.now
	}
}
