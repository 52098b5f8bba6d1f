package session

import (
	"time"

	"github.com/swarm-project/swarm/ratectl/wire"
)

// receiver tracks received packet numbers for acknowledgements and the
// credit granted to the peer.
type receiver struct {
	ackEvery    int
	maxAckDelay time.Duration
	pns         rangeSet
	largest     uint64
	largestAt   time.Time
	any         bool
	elicited    int
	ackNow      bool
	ackAt       time.Time

	window     uint64 // credit beyond the read offset
	maxWindow  uint64
	limit      uint64 // credit granted: the peer may send below this offset
	advertised uint64 // limit last sent in an Ack
	rateAt     time.Time
	rateOff    uint64
	ranges     []wire.Range
	mem        *Memory // when tight, the window stops growing
}

func (r *receiver) init(cfg *Config) {
	r.ackEvery, r.maxAckDelay = cfg.AckEvery, cfg.MaxAckDelay
	r.window, r.maxWindow, r.mem = uint64(cfg.InitialWindow), uint64(cfg.MaxWindow), cfg.Memory
	r.limit, r.advertised = r.window, r.window
	r.ranges = make([]wire.Range, 0, wire.MaxAckRanges)
}

// onPacket records an ack-eliciting packet number and reports a duplicate.
func (r *receiver) onPacket(now time.Time, pn uint64) bool {
	if r.pns.contains(pn) {
		r.ackNow = true // the peer may have missed our ack
		return true
	}
	gap := r.any && pn != r.largest+1
	if !r.any || pn > r.largest {
		r.largest, r.largestAt, r.any = pn, now, true
	}
	r.pns.add(pn, pn+1)
	if n := r.pns.spans(); n > maxTrackedRanges {
		r.pns.s = append(r.pns.s[:0], r.pns.s[n-maxTrackedRanges/2:]...)
	}
	r.elicited++
	if gap || r.elicited >= r.ackEvery {
		r.ackNow = true
	} else if r.ackAt.IsZero() {
		r.ackAt = now.Add(r.maxAckDelay)
	}
	return false
}

// ackDue reports whether an Ack should go now.
func (r *receiver) ackDue(now time.Time) bool {
	return r.any && (r.ackNow || !r.ackAt.IsZero() && !now.Before(r.ackAt))
}

// dropAck gives up the Ack due (the anti-amplification limit holds it
// back): the next packet received asks for one again.
func (r *receiver) dropAck() { r.ackNow, r.ackAt = false, time.Time{} }

// buildAck encodes an Ack of the newest ranges onto b.
func (r *receiver) buildAck(now time.Time, dst wire.ConnID, b []byte) []byte {
	r.ranges = r.ranges[:0]
	for i := len(r.pns.s) - 1; i >= 0 && len(r.ranges) < wire.MaxAckRanges; i-- {
		sp := r.pns.s[i]
		r.ranges = append(r.ranges, wire.Range{Smallest: sp.lo, Largest: sp.hi - 1})
	}
	a := wire.Ack{DestID: dst, Delay: now.Sub(r.largestAt), Window: r.limit, Ranges: r.ranges}
	r.ackNow, r.ackAt, r.elicited, r.advertised = false, time.Time{}, 0, r.limit
	return a.Append(b)
}

// updateCredit grows the window to eight bandwidth-delay products of the
// measured receive rate, or to twice what lies received beyond the first
// hole if that is more, and moves the limit with the application's reads;
// it asks for an Ack when the peer's credit grew by a quarter window.
//
// Eight, not four (session 5): in startup the sender grows 2.885× per
// round while the rate measured here lags it by a round, and on a lossy
// path what waits past the holes needs about one product more, so four
// products of the measured rate were about 1.4 of what the sender needed:
// startup ran out of credit, saw its delivery rate stall, and ended at
// half the path (SWARM_TRACE at P5: startup left at 56 Mbit/s of 100, and
// the delay mode took nine seconds more to reach the link rate).
//
// Bytes past a hole wait for its repair, a round trip per attempt: at
// 500 ms and 10 % loss some repair in every window of 25 MB takes three or
// four attempts, and four products ran the peer's credit out every few
// seconds (SWARM_TRACE showed credit 0 with data unsent). Holes, not an
// application that reads slowly, are what this growth answers: a slow
// reader leaves no hole.
//
// The rate is that of the furthest byte received (high), not of the
// contiguous prefix: on a lossy path the prefix waits a round trip or more
// at each hole, so its rate, held down by the credit it sets, would grow
// the credit far too slowly (at 500 ms and 10 % loss the credit, not the
// path, then capped the first seconds of a transfer).
//
// When the memory budget is tight the window stops growing: the peer's
// datagrams past a hole would only be dropped (see recvBuffer.admitsHeld).
func (r *receiver) updateCredit(now time.Time, readOff, contig, high uint64, srtt time.Duration) {
	if !r.mem.tight() {
		r.growWindow(now, contig, high, srtt)
	} else {
		r.rateAt = time.Time{} // measure afresh once there is room
	}
	r.limit = max(r.limit, readOff+r.window)
	if r.limit-r.advertised >= r.window/4 {
		r.ackNow = true
	}
}

// growWindow applies updateCredit's two growth rules.
func (r *receiver) growWindow(now time.Time, contig, high uint64, srtt time.Duration) {
	if high > contig {
		r.window = min(max(r.window, 2*(high-contig)), r.maxWindow)
	}
	if r.rateAt.IsZero() {
		r.rateAt, r.rateOff = now, high
	} else if dt := now.Sub(r.rateAt); dt >= max(srtt/2, 20*time.Millisecond) {
		rate := float64(high-r.rateOff) / dt.Seconds()
		want := uint64(8 * rate * srtt.Seconds())
		r.window = min(max(r.window, want), r.maxWindow)
		r.rateAt, r.rateOff = now, high
	}
}

// creditWakeOffset is the read offset from which the application's reads
// free enough credit for an Ack (a quarter window beyond the advertised
// limit, see updateCredit): reads below it need not wake the loop.
func (r *receiver) creditWakeOffset() uint64 {
	if a := r.advertised + r.window/4; a > r.window {
		return a - r.window
	}
	return 0
}
