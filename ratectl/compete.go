package ratectl

import (
	"math"
	"time"
)

// The compete mode: loss-based, against a flow that holds the queue.

// competitorHolds reports whether another flow holds the queue: it has
// stayed over the target for competeRounds rounds although this flow cut its
// rate by a quarter meanwhile. Alone, such cuts drain the queue within a
// round or two. flat adds that the rounds' minimum RTT stayed within a
// quarter of the target all along: a competitor's queue moves (CUBIC's
// sawtooth, BBR's gain cycle), a base RTT estimate that is too low does
// not.
func (a *adaptive) competitorHolds(q, minRTT time.Duration) (holds, flat bool) {
	if q <= a.target() {
		a.highRounds = 0
		return false, false
	}
	switch a.highRounds {
	case 0:
		a.streakRate = a.rate
	case 1: // the first round may still hold the end of a queue of ours
		a.streakLo, a.streakHi = minRTT, minRTT
	default:
		a.streakLo, a.streakHi = min(a.streakLo, minRTT), max(a.streakHi, minRTT)
	}
	a.highRounds++
	holds = a.p.compete && a.highRounds >= competeRounds && a.rate <= 0.75*a.streakRate
	return holds, a.streakHi-a.streakLo < a.target()/4
}

// enterCompete turns loss-based. It starts from half the bandwidth the
// flow had before the competitor arrived (a fair share against one flow),
// or from the rate it competed at if it left the mode only recently.
func (a *adaptive) enterCompete(now time.Time) {
	a.mode, a.highRounds, a.lowRounds = modeCompete, 0, 0
	r := max(a.rate, a.bwLong.max(len(a.bwLong.v))/2, a.competeFloor(now))
	a.competeAvg, a.competeMax = r, r
	a.setRate(r)
}

// competeFloor is the average rate of a compete mode left less than
// competeMemory ago, else 0. The delay mode does not cut below it, so that
// leaving the compete mode in a lull of the competitor's sawtooth does not
// hand it the link; alone, the floor is below capacity and does no harm.
func (a *adaptive) competeFloor(now time.Time) float64 {
	if a.competeLeft.IsZero() || now.Sub(a.competeLeft) >= competeMemory {
		return 0
	}
	return a.competeRate
}

func (a *adaptive) competeRound(now time.Time, q time.Duration) {
	if q < a.target()/2 {
		a.lowRounds++
	} else {
		a.lowRounds = 0
	}
	if a.lowRounds >= releaseRounds {
		a.mode, a.lowRounds, a.phase = modeDelay, 0, phaseCruise
		a.competeLeft, a.competeRate = now, a.competeAvg
		return
	}
	a.competeAvg += (a.rate - a.competeAvg) / 8
	a.setRate(a.capToDelivery(a.rate+a.competeStep(), 2, a.cfg.wire(a.cfg.MinRate)))
}

// competeStep is the compete mode's increase per round: the larger of
// Reno's (aiPackets per round trip) and CUBIC's average, which regains
// the last cut (30 %) in CUBIC's K = cbrt(0.3 W / 0.4) seconds whatever
// the RTT. Reno's alone starved at long RTTs: at 150 ms it grows a fifth
// as fast as CUBIC does.
func (a *adaptive) competeStep() float64 {
	srtt := max(a.rtt.srtt, time.Millisecond).Seconds()
	mss := float64(a.cfg.MSS)
	reno := a.p.aiPackets * mss / srtt
	w := a.competeMax * srtt / mss // the window before the last cut, in packets
	if w <= 0 {
		return reno
	}
	k := math.Cbrt((1 - cubicBeta) * w / cubicC)
	return max(reno, (1-cubicBeta)*a.competeMax/k*srtt)
}
