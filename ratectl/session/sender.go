package session

import (
	"encoding/binary"
	"time"

	"github.com/swarm-project/swarm/ratectl"
	"github.com/swarm-project/swarm/ratectl/wire"
)

// packet returns the record of pn, or nil if it is not tracked.
func (s *loopState) packet(pn uint64) *sentPacket {
	if pn < s.firstPN || pn >= s.nextPN {
		return nil
	}
	return &s.sent[s.sentHead+int(pn-s.firstPN)]
}

// onAck processes an Ack: newly acknowledged packets, an RTT sample, the
// peer's credit, then loss detection.
func (s *loopState) onAck(a *wire.Ack) {
	now := s.now
	if a.Largest() >= s.nextPN {
		return // acknowledges packets never sent: ignore
	}
	s.peerLimit = max(s.peerLimit, a.Window)
	var bytes int
	var newest *sentPacket
	for _, r := range a.Ranges {
		lo := max(r.Smallest, s.firstPN)
		if r.Largest < lo {
			continue
		}
		s.ackedPN.forEachMissing(lo, r.Largest+1, func(lo, hi uint64) {
			for pn := lo; pn < hi; pn++ {
				if p := s.packet(pn); p != nil && p.state != ackedState {
					bytes += s.markAcked(p)
					if newest == nil || p.pn > newest.pn {
						newest = p
					}
				}
			}
		})
		s.ackedPN.add(lo, r.Largest+1)
	}
	if !s.anyAcked || a.Largest() > s.largestAcked {
		s.largestAcked, s.anyAcked = a.Largest(), true
	}
	if newest == nil {
		return
	}
	s.ptoCount = 0
	sample := ratectl.AckSample{AckedBytes: bytes, InFlight: s.inflight}
	if newest.pn == a.Largest() {
		s.rtt.update(now.Sub(newest.time), min(a.Delay, s.c.cfg.MaxAckDelay*4))
		sample.RTT = max(now.Sub(newest.time)-min(a.Delay, s.c.cfg.MaxAckDelay*4), s.rtt.min)
	}
	sample.DeliveryRate, sample.AppLimited = s.sampler.OnAck(now, newest.rs, bytes)
	s.ctl.OnAck(now, sample)
	s.advanceAckedPrefix()
	s.detectLosses()
	s.popFront()
}

// markAcked accounts a newly acknowledged packet and returns its size.
func (s *loopState) markAcked(p *sentPacket) int {
	wasOut := p.state == outstanding
	p.state = ackedState
	if wasOut {
		s.inflight -= p.size
	}
	if p.probe > 0 {
		s.mtu.acked(p.probe, p.round)
		s.syncMSS()
	}
	if p.n > 0 {
		s.ackedData.add(p.off, p.off+uint64(p.n))
		s.retx.remove(p.off, p.off+uint64(p.n))
	}
	if p.fin {
		s.finAcked = true
	}
	if !wasOut {
		s.onSpurious(p)
		return 0 // declared lost earlier: already out of the flight
	}
	return p.size
}

// advanceAckedPrefix releases acknowledged bytes at the front of the
// send buffer.
func (s *loopState) advanceAckedPrefix() {
	for {
		sp, ok := s.ackedData.first()
		if !ok || sp.lo > s.ackedPrefix {
			break
		}
		s.ackedPrefix = max(s.ackedPrefix, sp.hi)
		s.ackedData.trimBelow(s.ackedPrefix)
	}
	s.retx.trimBelow(s.ackedPrefix)
	s.c.snd.release(s.ackedPrefix)
}

// detectLosses declares lost the outstanding packets sent packetThreshold
// numbers or 9/8 RTT before the largest acknowledged one (RFC 9002 6.1).
func (s *loopState) detectLosses() {
	s.lossTime = time.Time{}
	if !s.anyAcked {
		return
	}
	delay := max(s.rtt.latest, s.rtt.smoothed) * time.Duration(s.timeThreshold) / 8
	delay = max(delay, time.Millisecond)
	lost := 0
	for k := s.sentHead; k < len(s.sent) && s.sent[k].pn < s.largestAcked; k++ {
		p := &s.sent[k]
		if p.state != outstanding {
			continue
		}
		if s.largestAcked-p.pn >= s.pktThreshold || !p.time.After(s.now.Add(-delay)) {
			lost += s.markLost(p)
			continue
		}
		if at := p.time.Add(delay); s.lossTime.IsZero() || at.Before(s.lossTime) {
			s.lossTime = at
		}
	}
	if lost > 0 {
		s.ctl.OnLoss(s.now, lost)
	}
}

// onSpurious adapts loss detection to the reordering a late ack revealed:
// the packet threshold grows to the reordering distance, and the time
// threshold from 9/8 towards 2 RTT.
func (s *loopState) onSpurious(p *sentPacket) {
	s.spurious++
	s.pktThreshold = min(max(s.pktThreshold, s.largestAcked-p.pn+1), maxPktThreshold)
	s.timeThreshold = min(s.timeThreshold+1, 16)
}

// markLost queues a lost packet's data again and returns its size.
func (s *loopState) markLost(p *sentPacket) int {
	p.state = lostState
	s.inflight -= p.size
	if p.probe > 0 {
		// Too large for the path, or lost at random: the search tells
		// which. Neither congestion nor the path's loss rate.
		s.mtu.lost(p.probe, p.round)
		return 0
	}
	s.packetsLost++
	if p.n > 0 {
		s.queueRetx(p.off, p.off+uint64(p.n))
	}
	if p.fin && !s.finAcked {
		s.finSent = false
	}
	if p.size > s.mtu.size {
		// Sent before a black hole dropped the size (onPTO): lost to the
		// path's narrowing, not to congestion.
		return 0
	}
	return p.size
}

// queueRetx queues the parts of [lo, hi) not yet acknowledged.
func (s *loopState) queueRetx(lo, hi uint64) {
	lo = max(lo, s.ackedPrefix)
	s.ackedData.forEachMissing(lo, hi, func(lo, hi uint64) { s.retx.add(lo, hi) })
}

// popFront drops resolved packets from the front of the record. Lost
// packets stay two RTTs, so that a late ack still counts (and reveals
// reordering).
func (s *loopState) popFront() {
	keep := s.now.Add(-2 * max(s.rtt.smoothed, s.rtt.latest))
	for s.sentHead < len(s.sent) {
		if p := &s.sent[s.sentHead]; p.state == outstanding || p.state == lostState && p.time.After(keep) {
			break
		}
		s.sentHead++
		s.firstPN++
	}
	if s.sentHead > 4096 && s.sentHead*2 > len(s.sent) {
		n := copy(s.sent, s.sent[s.sentHead:])
		s.sent = s.sent[:n]
		s.sentHead = 0
	}
	s.ackedPN.trimBelow(s.firstPN)
}

// ptoDeadline is when the tail-loss probe fires, or zero.
//
// A server the client has not confirmed arms none (RFC 9002 section
// 6.2.2.1): its probes could not go out past the anti-amplification
// limit, and a deadline left in the past would spin the loop. The
// client's confirmation, which carries its acks, re-arms it.
func (s *loopState) ptoDeadline() time.Time {
	if s.inflight <= 0 || s.lastElicit.IsZero() || !s.c.client && !s.confirmed {
		return time.Time{}
	}
	d := s.rtt.pto(s.c.cfg.MaxAckDelay) << min(s.ptoCount, 6)
	return s.lastElicit.Add(d)
}

// onPTO probes for tail loss: the outstanding data lowest in the stream
// goes again, or a Ping, ahead of pacing.
//
// Lowest in the stream, not first sent: a repair sent after newer data
// is what the peer's reader waits for, and a receiver at its memory
// budget drops, unacknowledged, whatever lies past its hole (see
// Memory), so a probe of the first-sent packet, beyond the hole, would be
// dropped at every timeout and the stream would stall for good.
//
// Both probes RFC 9002 allows carry data: the lowest and the newest
// outstanding packet's, or the only one's twice. On a lossy path the tail
// of a small exchange (a handshake message, a request) is often one
// packet, and a lone probe lost with it doubled the wait: at 500 ms RTT and
// 10 % loss, connection setup plus four small exchanges took 3.9 s on
// average and 5.3 s at the 90th percentile in simulation, against 3.3 and
// 4.1 with two copies (TestSetupUnderHeavyLoss).
func (s *loopState) onPTO() {
	s.ptoCount++
	s.probes = 2
	if s.ptoCount >= 2 && s.mtu.blackHole() {
		s.syncMSS()
		s.c.ep.log.Debug("path MTU black hole: datagrams back to the minimum", "size", s.mtu.size)
	}
	lowest, newest := -1, -1
	for k := s.sentHead; k < len(s.sent); k++ {
		if p := &s.sent[k]; p.state == outstanding && s.unacked(p) {
			if lowest < 0 || p.off < s.sent[lowest].off {
				lowest = k
			}
			newest = k
		}
	}
	if lowest < 0 {
		s.sendPing()
		s.sendPing()
		return
	}
	s.probeAgain(&s.sent[lowest])
	if newest != lowest {
		s.probeAgain(&s.sent[newest])
	}
	s.dupProbe = lowest == newest && s.sent[lowest].n > 0
}

// unacked reports whether some of p's bytes, or its FIN, still wait for
// an acknowledgement: a copy whose original was acknowledged stays
// outstanding, and probing it would carry nothing the peer needs.
func (s *loopState) unacked(p *sentPacket) bool {
	if p.fin && !s.finAcked {
		return true
	}
	if p.n == 0 {
		return false
	}
	lo, hi := max(p.off, s.ackedPrefix), p.off+uint64(p.n)
	return lo < hi && !s.ackedData.covers(lo, hi)
}

// probeAgain queues an outstanding packet's data (or FIN) to go again.
func (s *loopState) probeAgain(p *sentPacket) {
	if p.n > 0 {
		s.queueRetx(p.off, p.off+uint64(p.n))
	}
	if p.fin {
		s.finSent = false
	}
}

// thinFlight is the most in flight, in datagrams, at which the new data
// of a sender that has nothing more to send goes twice; redundantRTT the
// least smoothed RTT at which it does, and youngPackets how many packets a
// connection sends before it does so only on a path that has lost one.
const (
	thinFlight   = 4
	redundantRTT = 20 * time.Millisecond
	youngPackets = 64
)

// queueRedundant queues a second copy of the new data sent since the last
// call, when the sender has run out of data with no more than thinFlight
// datagrams in flight, and reports whether it queued any.
//
// Such a flight is a small exchange (a handshake message, a request, a
// reply's last packets), and no later packet will reveal its loss: only
// the probe timeout does, one RTT and a half later. On a long lossy path
// setup is a handful of these exchanges, and so is a downloader's stream
// of requests; a second copy makes a loss cost nothing unless both go
// (one time in a hundred at 10 % loss, instead of one in ten). A bulk
// sender is never app-limited with a flight this thin, so it pays nothing.
// A stream of small writes would pay double, so the copies go only where
// a loss costs much (an RTT of redundantRTT or more) and is likely: on a
// young connection (its handshakes), or once the path has lost a packet.
func (s *loopState) queueRedundant() bool {
	from := max(s.dupUpTo, s.ackedPrefix)
	s.dupUpTo = s.nextOff
	dgram := s.mtu.size
	if from >= s.nextOff || s.inflight > thinFlight*dgram || s.nextOff-from > uint64(thinFlight*dgram) || s.unconfirmedServer() {
		return false
	}
	if s.rtt.smoothed < redundantRTT || s.packetsLost == 0 && s.packetsSent > youngPackets {
		return false
	}
	s.queueRetx(from, s.nextOff)
	_, ok := s.retx.first()
	return ok
}

// segment is a stretch of stream to send.
type segment struct {
	off     uint64
	n       int
	fin     bool
	retrans bool
	copy    bool // a further copy of a repair (copyRepair)
}

// heavyTailLoss is the share of packets lost at which a repair sent with
// nothing new to send goes three times instead of twice.
const heavyTailLoss = 0.05

// copyRepair arranges for a repair (a retransmission) to go again at once
// when the sender has no new data: at the end of a transfer, or while the
// application has nothing more to send. Then the repairs are all the
// reader waits for, and a lost repair is found only by the acks of the
// few packets sent after it, or by the probe timeout: each loss of a
// repair costs one or two more round trips. Over a 500 ms path with 10 %
// loss the last bandwidth-delay product took 1.5 to 2.8 s to complete
// after its first round trip (SWARM_TRACE on the seeder). With two copies
// a repair is lost one time in a hundred at 10 % loss, with three (from
// heavyTailLoss) one in a thousand. The copies cost little: a tail's
// repairs are the loss rate times what was in flight, and the pacer and
// the inflight limit still apply to them. The send buffer's lock is held.
func (s *loopState) copyRepair(seg segment) {
	if seg.copy {
		if s.tailCopies--; s.tailCopies <= 0 {
			s.tailCopy, s.tailCopies = segment{}, 0
		}
		return
	}
	end, _ := s.c.snd.endLocked()
	if s.c.cfg.noRepairCopies || s.probes > 0 || s.nextOff < end || s.rtt.smoothed < redundantRTT || s.unconfirmedServer() {
		return // copies would spend an unconfirmed server's anti-amplification budget
	}
	s.tailCopy, s.tailCopies = seg, 1
	s.tailCopy.copy = true
	if float64(s.packetsLost) >= heavyTailLoss*float64(s.packetsSent) {
		s.tailCopies = 2
	}
}

// pendingCopy returns the copy copyRepair arranged, from the first byte
// the peer has not acknowledged, or nothing once it has them all. A copy
// waits while probes are due: they go first.
func (s *loopState) pendingCopy() (segment, bool) {
	if s.tailCopies == 0 || s.probes > 0 {
		return segment{}, false
	}
	c := s.tailCopy
	end := c.off + uint64(c.n)
	first, found := end, false
	s.ackedData.forEachMissing(max(c.off, s.ackedPrefix), end, func(lo, hi uint64) {
		if !found {
			first, found = lo, true
		}
	})
	if !found && !(c.fin && !s.finAcked) {
		s.tailCopy, s.tailCopies = segment{}, 0
		return segment{}, false
	}
	c.n, c.off = int(end-first), first
	return c, true
}

// sendData builds data packets while pacing, the inflight limit and the
// peer's credit allow. It holds the send buffer's lock for the pass (one
// lock per batch, not per packet).
//
// A pass ends when something blocks sending (then a timer, an Ack or a
// write brings the loop back) or when the batch is full: then sendMore
// makes the loop run again at once.
func (s *loopState) sendData() {
	s.c.snd.mu.Lock()
	defer s.c.snd.mu.Unlock()
	defer func() { s.c.snd.markSentLocked(s.nextOff) }()
	dgram := s.mtu.size
	s.paceAt = time.Time{}
	s.sendMore = false
	s.pacer.SetRate(s.now, s.ctl.Rate())
	for len(s.out) < maxBatch {
		if s.ampBlocked(wire.DataHeaderLen + 1) {
			return // anti-amplification: the client has not confirmed its address
		}
		if s.c.client && !s.hsDone && s.nextPN >= earlyPacketLimit {
			return // early data stays under the server's packet number limit
		}
		if s.probes == 0 {
			if s.inflight+dgram > s.ctl.InflightLimit() {
				return
			}
			if at := s.pacer.NextSend(s.now, dgram); at.After(s.now) {
				s.paceAt = at
				return
			}
		}
		seg, ok := s.nextSegment()
		if !ok && s.queueRedundant() {
			seg, ok = s.nextSegment()
		}
		if !ok {
			s.sampler.OnAppLimited(s.inflight)
			s.probes = 0
			s.c.snd.starveLocked()
			return
		}
		s.sendSegment(seg)
		s.probes = max(0, s.probes-1)
	}
	s.sendMore = true
}

// nextSegment picks retransmissions first, then new data, then a bare FIN.
// The send buffer's lock is held.
func (s *loopState) nextSegment() (segment, bool) {
	maxPayload := s.mtu.size - wire.DataHeaderLen
	if !s.c.client && !s.confirmed {
		// Within what the anti-amplification budget has left (on loopback
		// a full datagram is 9000 bytes, more than the whole budget).
		maxPayload = min(maxPayload, 3*s.unprovenRecv-s.unprovenSent-wire.DataHeaderLen)
		if maxPayload <= 0 {
			return segment{}, false
		}
	}
	end, closed := s.c.snd.endLocked()
	if c, ok := s.pendingCopy(); ok {
		return c, true
	}
	if sp, ok := s.retx.first(); ok {
		hi := min(sp.hi, sp.lo+uint64(maxPayload))
		return segment{off: sp.lo, n: int(hi - sp.lo), fin: closed && hi == end, retrans: true}, true
	}
	if limit := min(end, s.peerLimit); s.nextOff < limit {
		n := min(uint64(maxPayload), limit-s.nextOff)
		return segment{off: s.nextOff, n: int(n), fin: closed && s.nextOff+n == end}, true
	}
	if closed && !s.finSent && !s.finAcked && s.nextOff == end {
		return segment{off: end, fin: true}, true
	}
	return segment{}, false
}

// sendSegment numbers, encodes and records one data packet. The send
// buffer's lock is held.
func (s *loopState) sendSegment(seg segment) {
	pn := s.nextPN
	body, got := s.c.snd.viewLocked(seg.off, seg.n) // sent from the buffer: no copy
	if got < seg.n {
		seg.n, seg.fin = got, false
	}
	d := wire.Data{DestID: s.c.peerID, Number: pn, Offset: seg.off, Fin: seg.fin}
	size := s.emitWithBody(func(b []byte) []byte { return appendDataHead(b, &d, seg.n) }, body)
	s.record(sentPacket{pn: pn, time: s.now, size: size, off: seg.off, n: seg.n, fin: seg.fin})
	s.bytesSent += int64(seg.n)
	if seg.retrans {
		s.bytesRetrans += int64(seg.n)
		s.retx.remove(seg.off, seg.off+uint64(seg.n))
		if s.dupProbe && s.probes > 1 {
			// The first of two probes for a lone outstanding packet:
			// queue it once more for the second.
			s.dupProbe = false
			s.queueRetx(seg.off, seg.off+uint64(seg.n))
		}
		s.copyRepair(seg)
	} else {
		s.nextOff += uint64(seg.n)
	}
	if seg.fin {
		s.finSent = true
	}
}

// probeMTU sends the path MTU probes the search asks for, once the peer
// has confirmed the connection (an unconfirmed server sends nothing but
// Accepts). Each goes alone, after what is batched so far is flushed and
// before the data of this step, so that no GSO message groups it with
// others: a device narrower than the probe refuses the
// whole message, and a refused GSO message turns GSO off.
func (s *loopState) probeMTU() {
	if !s.c.client && !s.confirmed {
		return
	}
	size := s.mtu.next(s.now)
	if size == 0 {
		return
	}
	s.flush()
	for range probesPerRound {
		pn := s.nextPN
		p := wire.Ping{DestID: s.c.peerID, Number: pn, Pad: size - wire.PingLen}
		s.c.w.writeBatch([]datagram{{head: p.Append(nil)}}, s.c.raddr)
		s.record(sentPacket{pn: pn, time: s.now, size: size, probe: size, round: s.mtu.round})
	}
	s.lastSend = s.now
}

// sendPing sends an ack-eliciting Ping.
func (s *loopState) sendPing() {
	pn := s.nextPN
	p := wire.Ping{DestID: s.c.peerID, Number: pn}
	size := s.emit(p.Append)
	s.record(sentPacket{pn: pn, time: s.now, size: size})
}

// record tracks a numbered packet as outstanding.
func (s *loopState) record(p sentPacket) {
	p.rs = s.sampler.OnSend(s.now, s.inflight)
	s.sent = append(s.sent, p)
	s.nextPN++
	s.inflight += p.size
	s.pacer.OnSent(s.now, p.size)
	s.lastElicit = s.now
	s.packetsSent++
}

// appendDataHead appends the encoding of d (without payload) for a
// payload of n bytes, which the caller sends right after it.
func appendDataHead(b []byte, d *wire.Data, n int) []byte {
	d.Payload = nil
	b = d.Append(b)
	binary.BigEndian.PutUint16(b[len(b)-2:], uint16(n)) // the length ends the header (ratectl-wire.md, section 4)
	return b
}
