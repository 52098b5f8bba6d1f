package ratectl

import "time"

// Startup and the drain that ends it; see exitStartup.

func (a *adaptive) startupRound(now time.Time, q time.Duration, r round) {
	if r.maxDR > a.startupBest*1.25 {
		a.startupBest, a.startupStale = r.maxDR, 0
	} else if !r.appLimited {
		a.startupStale++
	}
	if q >= a.startupQueue() || a.startupStale >= 3 {
		a.exitStartup(now)
		return
	}
	a.setRate(a.capToDelivery(a.rate*startupGain, 2*startupGain, a.cfg.InitialRate))
}

// startupQueue is the queueing delay that ends startup: the target, or
// four while the jitter estimate has not settled (until then a sample a
// target over the base may be jitter; four targets bound the overshoot on
// a path slower than the initial rate, which would otherwise build a
// queue of most of a second before the estimate settles).
func (a *adaptive) startupQueue() time.Duration {
	if a.rtt.jitterKnown() {
		return a.target()
	}
	return 4 * a.target()
}

// queueShows reports, in startup, whether startupExitSamples consecutive
// RTT samples lay a target over the base RTT: the queue is building, and
// waiting for the round to end would only overshoot further.
func (a *adaptive) queueShows(now time.Time, rtt time.Duration) bool {
	if rtt-a.floor() < a.startupQueue() {
		a.startupHigh = 0
		return false
	}
	if a.startupHigh == 0 {
		a.queueFrom, a.queueAcked, a.queueLoss = now, a.acked, a.loss.rate
	}
	a.startupHigh++
	return a.startupHigh >= startupExitSamples
}

// exitStartup ends startup, when a queue shows or the delivery rate stops
// growing, with a drain of the queue the overshoot built. That queue is
// seen a round trip late, and half a round trip of the excess is still on
// its way to the bottleneck, so the drain watches what is in flight, as
// BBR's does, rather than the RTT (openDrainAck). Waiting for a round's
// minimum RTT to show the queue gone took three round trips at 500 ms, at
// a rate the overshoot's own losses kept cutting: a sixth of a 200 MB
// transfer.
func (a *adaptive) exitStartup(now time.Time) {
	a.mode, a.openDrain = modeDrain, true
	a.exitAt, a.exitRate = now, a.rate
	if !a.queueFrom.IsZero() && a.queueFrom.After(now.Add(-a.rtt.srtt)) {
		// Losses since the queue showed are the overshoot's (a shallow
		// buffer drops before the RTT samples add up): the random loss
		// is the ratio from before.
		a.loss.rate = min(a.loss.rate, a.queueLoss)
	}
	a.exitLoss = min(a.loss.rate, a.p.heavyLoss)
	a.settleUntil = now.Add(2 * a.rtt.srtt)
	a.setRate(max(a.bandwidth(), a.queuedAckRate(now)) * startupDrainGain)
}

// openDrainAck paces startup's drain at half the bandwidth until no more
// than a bandwidth-delay product is in flight: the rest is queue, or lost.
// The bandwidth is recomputed on every ack, since the acks of the
// overshoot, which come at the bottleneck's pace, arrive during the drain.
func (a *adaptive) openDrainAck(now time.Time, inFlight int) {
	bw := max(a.bandwidth(), a.queuedAckRate(now))
	srtt := a.rtt.srtt
	if float64(inFlight) > bw*a.rtt.base().Seconds() && now.Sub(a.exitAt) < 2*srtt {
		a.setRate(bw * startupDrainGain)
		return
	}
	// Until the acks of what the drain sent arrive, RTT samples still
	// show the overshoot's queue and losses its drops: no decision.
	a.settleUntil = now.Add(srtt)
	a.endDrain(now)
	a.setRate(bw)
}

// queuedAckRate is the rate acks have come at since startup's samples
// began to show a queue, random loss added back: with a queue the
// bottleneck is busy, so this is its rate. The delivery-rate samples
// average over a round trip and lag it by as much.
func (a *adaptive) queuedAckRate(now time.Time) float64 {
	d := now.Sub(a.queueFrom)
	if a.queueFrom.Before(a.exitAt.Add(-a.rtt.srtt)) || d < max(a.rtt.srtt/4, 4*time.Millisecond) {
		// Over a shorter span a receiver's batch of acks (its loop
		// descheduled for a few milliseconds) passes for a fast path.
		return 0
	}
	// The bottleneck cannot have taken more than startup sent.
	return min(float64(a.acked-a.queueAcked)/d.Seconds()/(1-a.exitLoss), a.exitRate)
}

// overshooting reports whether acks and losses still report startup's
// overshoot: its drain, and a round trip after it.
func (a *adaptive) overshooting(now time.Time) bool {
	return a.openDrain || now.Before(a.settleUntil)
}
