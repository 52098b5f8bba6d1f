package ratectl

import "time"

// mode is the adaptive controller's state.
type mode uint8

const (
	modeStartup mode = iota // double per round until a queue shows
	modeDelay               // hold the queueing delay near the target
	modeDrain               // one short drain to re-measure the base RTT
	modeCompete             // Reno-like AIMD against a buffer-filling flow
	modeFollow              // BBR-like, against a loss-blind flow (blind.go)
)

var modeNames = [...]string{"startup", "delay", "drain", "compete", "follow"}

// adaptive implements Fair, High and Low. Decisions are taken once per
// round (about one smoothed RTT) from the round's minimum RTT, its largest
// delivery-rate sample and its loss; see docs/ratectl.md.
type adaptive struct {
	cfg  Config
	p    params
	rate float64
	rtt  rttStats
	loss lossStats
	mode mode
	dr   maxRing // per-round max delivery rate
	rnd  round

	startupBest  float64       // best delivery rate seen in startup
	startupStale int           // startup rounds without 25% growth
	startupHigh  int           // consecutive startup RTT samples over the target
	roundRate    float64       // the rate when the round began: what the packets now acked went at
	highRounds   int           // consecutive delay rounds with the queue over target
	streakRate   float64       // rate when the current highRounds streak began
	streakLo     time.Duration // smallest and largest round minimum RTT of the streak
	streakHi     time.Duration
	lowRounds    int // consecutive compete rounds under target
	lastNearBase time.Time
	drainEnd     time.Time
	openDrain    bool          // startup's drain, timed rather than watched
	exitAt       time.Time     // when startup ended
	exitRate     float64       // and its rate then
	exitLoss     float64       // loss rate when startup ended: the random loss
	acked        int64         // bytes acknowledged
	queueFrom    time.Time     // when startup's samples began to show a queue
	queueAcked   int64         // acked then
	queueLoss    float64       // and the loss ratio then
	settleUntil  time.Time     // until then acks still report startup's overshoot
	baseProbe    bool          // the drain re-measures the base RTT
	checkBase    bool          // the round after such a drain decides whether to rebase
	drainFromQ   time.Duration // queueing delay when that drain began
	drainable    time.Duration // what it removes from a queue of the flow\'s
	lastCut      time.Time     // last loss-triggered decrease
	latestRTT    time.Duration
	bwLong       longMax // bandwidth over the last few dozen rounds
	competeLeft  time.Time
	competeRate  float64 // average rate of the compete mode last left
	competeAvg   float64 // running average rate in the compete mode
	competeMax   float64 // compete rate before its last cut (CUBIC's W_max)
	place        lossPlace
	shallow      bool      // the buffer overflows under the policy's target queue
	lastOverflow time.Time // losses last gathered at the top of the queue
	phase        int       // position in the delay mode's probe cycle
	probeBW      float64   // bandwidth when the last probe started
	probeExcess  float64   // how far over the bandwidth the last probe paced (at most its gain)
	probeMult    float64   // grows while consecutive probes find room
	blind        blindWatch
	ownDipUntil  time.Time // until then a dip in the RTT is the flow's own drain
}

// round accumulates samples between decisions.
type round struct {
	start      time.Time
	minRTT     time.Duration
	maxDR      float64
	acked      int
	lost       int
	appLimited bool // every delivery sample was app-limited
	samples    int
}

func newAdaptive(cfg Config, p params) *adaptive {
	return &adaptive{cfg: cfg, p: p, rate: cfg.InitialRate, rtt: newRTTStats(), probeMult: 1, blind: newBlindWatch()}
}

func (a *adaptive) OnAck(now time.Time, s AckSample) {
	a.rtt.update(now, s.RTT)
	rate := min(a.rate, orElse(a.roundRate, a.rate))
	if s.AppLimited {
		rate = 0 // it did not send at its rate: only what was acked went out
	}
	a.rtt.noiseSample(now, s.RTT, s.AckedBytes, a.bandwidth(), rate)
	own := a.overshooting(now)
	if !own {
		a.loss.acked(s.AckedBytes)
	}
	a.acked += int64(s.AckedBytes)
	r := &a.rnd
	if r.start.IsZero() {
		// The first round began with the first packet sent, a round trip
		// before its ack, not with the ack.
		a.startRound(now.Add(-max(s.RTT, 0)))
		a.lastNearBase = now
	}
	if s.RTT > 0 {
		if a.steady() && !own {
			a.place.acked(s.RTT-a.rtt.base(), s.AckedBytes)
		}
		a.latestRTT = s.RTT
		if r.minRTT == 0 || s.RTT < r.minRTT {
			r.minRTT = s.RTT
		}
		if a.mode == modeStartup && a.queueShows(now, s.RTT) {
			a.exitStartup(now)
		}
	}
	if a.openDrain {
		a.openDrainAck(now, s.InFlight)
	}
	r.acked += s.AckedBytes
	if s.DeliveryRate > 0 {
		if r.samples == 0 {
			r.appLimited = true
		}
		r.samples++
		r.appLimited = r.appLimited && s.AppLimited
		r.maxDR = max(r.maxDR, s.DeliveryRate)
	}
	if now.Sub(r.start) >= max(a.rtt.srtt, 5*time.Millisecond) {
		a.endRound(now)
	}
}

func (a *adaptive) OnLoss(now time.Time, lostBytes int) {
	a.rnd.lost += lostBytes
	if a.overshooting(now) {
		// Startup's overshoot is neither random loss nor a competitor's.
		return
	}
	a.loss.lost(lostBytes)
	if a.steady() {
		// Where in the buffer losses fall is measured from the base: the
		// buffer's depth does not depend on the jitter.
		a.place.lost(a.latestRTT-a.rtt.base(), lostBytes)
	}
	q := a.latestRTT - a.floor()
	cut := a.mode == modeCompete && q > a.target() && a.loss.rate > competeLossFloor ||
		a.p.lossYield && a.mode != modeStartup && q > a.target()/2
	if !cut || now.Sub(a.lastCut) <= a.rtt.srtt {
		return
	}
	a.lastCut = now
	if a.mode == modeCompete {
		a.competeMax = a.rate
	}
	a.setRate(a.rate * a.p.beta)
}

func (a *adaptive) Rate() float64 { return a.rate }

// floor is the RTT without a queue of ours: the base RTT plus what the
// path's jitter adds (see rttStats.jitter). Over a jittery path the base
// is the luckiest sample, so without the allowance jitter of the
// target's size read as a standing queue: startup ended at once and the
// delay mode cut a 100 Mbit/s path to a few (BenchmarkJitter).
func (a *adaptive) floor() time.Duration {
	return a.rtt.base() + jitterMult*a.rtt.jitter()
}

func (a *adaptive) SetMSS(mss int) {
	if mss > 0 {
		a.cfg.MSS = mss
	}
}

// target is the queueing delay the controller aims for: the policy's, or
// on a path whose buffer overflows before it holds that much, 40 % of the
// deepest queue seen (at least shallowFloor). Without this a buffer
// shallower than the target never showed the controller a queue, so it
// read every loss there as random and starved a TCP flow sharing it.
func (a *adaptive) target() time.Duration {
	if !a.shallow {
		return a.p.target
	}
	return min(a.p.target, max(shallowFloor, a.place.ceiling()*4/10))
}

// checkShallow decides, once per round, whether the buffer is shallower
// than the policy's target: losses gather at the top of a queue that never
// reached one and a half targets. A queue of two targets ends it, and so
// does shallowQuiet without such losses.
func (a *adaptive) checkShallow(now time.Time) {
	ceil := a.place.ceiling()
	over := a.place.overflowing(a.cfg.MSS)
	if over {
		a.lastOverflow = now
	}
	switch {
	case ceil >= 2*a.p.target || a.shallow && now.Sub(a.lastOverflow) > shallowQuiet:
		a.shallow = false
	case ceil > 0 && ceil < a.p.target*3/2 && over:
		a.shallow = true
	}
}

// steady reports whether the flow is past startup and its drain: the loss
// counts by queue position leave out startup's overshoot, whose drops at
// a queue the flow will not build again would pass for overflow later.
func (a *adaptive) steady() bool {
	return a.mode == modeDelay || a.mode == modeCompete || a.mode == modeFollow
}

func (a *adaptive) InflightLimit() int {
	return inflightFor(a.rate, a.rtt.srtt, a.cfg.MSS, 2)
}

func (a *adaptive) Snapshot() Snapshot {
	return Snapshot{
		Policy: a.cfg.Policy, Mode: modeNames[a.mode], Rate: a.rate,
		BaseRTT: a.rtt.base(), SRTT: a.rtt.srtt, QueueDelay: a.rtt.queueDelay(), Jitter: a.rtt.jitter(),
		Inflight: a.InflightLimit(), LossRate: a.loss.rate, TargetQueue: a.target(),
		MSS: a.cfg.MSS, Dips: a.blind.dips,
	}
}

func (a *adaptive) setRate(r float64) { a.rate = a.cfg.clamp(r) }

// holdAppLimited keeps an app-limited sender that still builds a queue
// or loses heavily to twice the bandwidth it delivered (never under the
// initial rate). Without it nothing steered such a sender: a rate far
// over the path, paced out in bursts of whatever the application had
// written, overflowed the queue at every burst, and since each burst
// ended app-limited, no round was ever counted (in one lab run at P2 the
// seeder sent 87 % of the data twice). Steering from its delivery rate
// instead would starve a request stream, whose RTT samples show the
// queue of the data coming the other way.
func (a *adaptive) holdAppLimited(q time.Duration, r round) {
	if _, heavy := a.heavyLoss(r); q > a.target() || heavy {
		a.setRate(min(a.rate, max(2*a.bandwidth(), a.cfg.InitialRate)))
	}
}

func (a *adaptive) startRound(now time.Time) { a.rnd, a.roundRate = round{start: now}, a.rate }

// endRound takes the per-round decision.
func (a *adaptive) endRound(now time.Time) {
	r := a.rnd
	a.startRound(now)
	a.place.endRound()
	a.checkShallow(now)
	if r.minRTT == 0 {
		return // no RTT sample this round: nothing to decide on
	}
	q := max(0, r.minRTT-a.floor())
	if q <= a.target()/2 {
		a.lastNearBase = now
	}
	if r.appLimited || r.samples == 0 {
		// The sender did not fill the path (an idle connection, keepalives,
		// a small request between transfers): its delivery rate says
		// nothing about the path. It may raise the estimate, never lower
		// it or steer.
		if r.maxDR > a.dr.max(bwRounds) {
			a.dr.push(r.maxDR)
		}
		a.holdAppLimited(q, r)
		return
	}
	a.dr.push(r.maxDR)
	a.bwLong.push(a.bandwidth())
	if r.start.Before(a.settleUntil) {
		return // the queue and losses are the overshoot's, being drained
	}
	if a.heavyLossRound(r) {
		return
	}
	if a.p.compete && a.steady() {
		a.blind.round(now, blindRound{minRTT: r.minRTT, srtt: a.rtt.srtt, target: a.target(),
			lost: r.lost > 0, own: now.Before(a.ownDipUntil)})
		switch {
		case a.blind.active(now):
			a.followRound(now)
			return
		case a.mode == modeFollow:
			a.leaveFollow(now)
		}
	}
	switch a.mode {
	case modeStartup:
		a.startupRound(now, q, r)
	case modeDelay:
		a.delayRound(now, q, r)
	case modeDrain:
		a.drainRound(now, q)
	case modeCompete:
		a.competeRound(now, q)
	}
}

// startDrain paces below the delivery rate until the queue is under the
// target or for at most d.
func (a *adaptive) startDrain(d time.Duration, gain float64) {
	a.mode = modeDrain
	a.drainEnd = a.rnd.start.Add(d)
	a.setRate(a.pathRate(a.rate) * gain)
}

func (a *adaptive) drainRound(now time.Time, q time.Duration) {
	if a.openDrain || q > a.target() && now.Before(a.drainEnd) {
		return
	}
	a.endDrain(now)
}

// endDrain returns to the delay mode at the bandwidth.
func (a *adaptive) endDrain(now time.Time) {
	a.openDrain = false
	a.checkBase, a.baseProbe = a.baseProbe, false
	a.mode, a.phase = modeDelay, phaseCruise
	a.lastNearBase = now
	a.setRate(a.bandwidth())
}

func (a *adaptive) delayRound(now time.Time, q time.Duration, r round) {
	if a.checkBase {
		a.checkBase = false
		if q > a.target() && q > a.drainFromQ-a.drainable/2 {
			// The round after a base-RTT drain sees the packets paced under
			// the path rate, and the delay did not fall by half of what the
			// drain would have removed from a queue of this flow's: the
			// queue is not this flow's. Either the path's own delay grew, which the base
			// must follow now rather than in BaseRTTWindow, or another
			// flow holds a queue, which the compete mode deals with
			// whatever the base.
			a.rtt.rebase(now, r.minRTT)
			q = 0
		}
	}
	if holds, flat := a.competitorHolds(q, r.minRTT); holds && flat {
		// A queue that neither our cuts nor anyone else moves is no
		// queue: the base RTT is too low (one early sample can do it).
		// Probe the base now rather than compete with nobody.
		a.highRounds = 0
		a.probeBase(q)
		return
	} else if holds {
		a.enterCompete(now)
		return
	}
	if now.Sub(a.lastNearBase) > probeBaseAfter {
		a.probeBase(q)
		return
	}
	if q > a.target() {
		// More queue than we aim for: steer it back from the latest
		// delivery rate, and restart the cruise.
		a.phase, a.probeMult = phaseCruise, 1
		a.setRate(max(a.pathRate(a.rate)*a.cut(q), a.competeFloor(now)))
		return
	}
	a.cycleRound(r)
}

// Phases of the delay mode's probe cycle, one round each; cruising lasts
// until the cycle wraps.
const (
	phaseProbe  = 0 // pace above the path rate to look for more bandwidth
	phaseDrain  = 1 // pace below it to drain what the probe queued
	phaseCruise = 2 // pace at it; the first cruise round sees the probe
	cycleLen    = 8
)

func (a *adaptive) cycleRound(r round) {
	bw := a.bandwidth()
	g := min(a.probeGain(a.rtt.base())*a.probeMult, a.p.gainUp)
	switch a.phase {
	case phaseProbe:
		if r.appLimited {
			a.setRate(bw)
			return // no point probing a path the sender does not fill
		}
		a.probeBW = bw
		a.setRate(bw * (1 + g))
		// What the probe may queue: less when the target rate held it
		// back, nothing when the flow already runs at its target.
		a.probeExcess = max(0, a.rate/bw-1)
		a.phase = phaseDrain
	case phaseDrain:
		// Drain what the probe queued, no more: a flow held at its target
		// rate lost one round in eight at 1 − g for nothing (fair with a
		// 40 Mbit/s target sent 0.988 of it).
		a.setRate(bw * (1 - a.probeExcess))
		a.phase = phaseCruise
	case phaseCruise:
		a.setRate(bw)
		a.phase++
		if bw > a.probeBW*(1+g/2) {
			// The probe found room: probe again at once, twice as hard.
			a.phase = phaseProbe
			a.probeMult = min(2*a.probeMult, maxProbeMult)
		} else {
			a.probeMult = 1
		}
	default:
		a.setRate(bw)
		a.phase = (a.phase + 1) % cycleLen
	}
}

// cut is the pacing gain under the path rate when the queueing delay q is
// over the target: it removes about half the excess per round.
func (a *adaptive) cut(q time.Duration) float64 {
	f := 1 + 0.5*(a.target()-q).Seconds()/(a.rtt.base()+q).Seconds()
	return max(0.5, f)
}

// probeGain scales probes so that one probe round queues about one
// target's worth of delay, whatever the RTT.
func (a *adaptive) probeGain(base time.Duration) float64 {
	g := a.target().Seconds() / max(base, time.Millisecond).Seconds()
	return min(max(g, 0.02), a.p.gainUp)
}

// pathRate estimates what the path carries for this flow: the last
// round's delivery rate with random loss added back, or def without one.
func (a *adaptive) pathRate(def float64) float64 {
	d := a.dr.max(1)
	if d == 0 {
		return def
	}
	return d / (1 - min(a.loss.rate, a.p.heavyLoss))
}

// bandwidth is the largest loss-corrected delivery rate of the last
// rounds: the bottleneck share the flow can count on.
func (a *adaptive) bandwidth() float64 {
	d := a.dr.max(bwRounds)
	if d == 0 {
		return a.rate
	}
	return d / (1 - min(a.loss.rate, a.p.heavyLoss))
}

// probeBase drains for a round and some, so that the next round tells
// whether the queueing delay q is this flow's (see delayRound).
//
// The drain must empty what the flow holds over the base, the jitter
// allowance included: a drain sized for the target alone left a few
// milliseconds behind, the base's window then took them in, and the base
// crept up by as much every window (20 ms on a 5 ms path in 30 s).
func (a *adaptive) probeBase(q time.Duration) {
	d := a.rtt.srtt + 4*(a.target()+a.floor()-a.rtt.base())
	a.startDrain(d, drainGain)
	a.ownDipUntil = a.drainEnd.Add(3 * a.rtt.srtt)
	a.baseProbe, a.drainFromQ = true, q
	// What pacing at drainGain for d removes from a queue of ours.
	a.drainable = time.Duration((1 - drainGain) * float64(d))
}

// heavyLossRound backs off, and reports so, when the round's loss is too
// heavy to be random: the rate drops under the delivery rate by half the
// loss ratio, and the mode's own rule is skipped for the round.
func (a *adaptive) heavyLossRound(r round) bool {
	ratio, heavy := a.heavyLoss(r)
	if !heavy {
		return false
	}
	a.setRate(min(a.rate, orElse(r.maxDR, a.rate)) * (1 - ratio/2))
	return true
}

// heavyLoss returns the round's loss ratio and whether it is over the
// policy's heavy-loss ratio.
//
// A round of fewer than heavyLossPackets tells nothing: at 10 % random
// loss, two losses among six packets are common, and the cut, to under
// the tiny delivery rate such a round measures, once held a transfer at
// a tenth of a megabit for seconds (in the simulator at P5).
func (a *adaptive) heavyLoss(r round) (float64, bool) {
	if r.lost == 0 {
		return 0, false
	}
	ratio := float64(r.lost) / float64(r.acked+r.lost)
	return ratio, ratio > a.p.heavyLoss && r.acked+r.lost >= heavyLossPackets*a.cfg.MSS
}

// capToDelivery keeps an increase within mult times what the path delivered
// in the last rounds, so that a sender limited elsewhere (application,
// receive window) does not wind the rate up. Delivery lags the rate by a
// round, so mult must exceed the per-round growth. The cap is never under
// floor.
func (a *adaptive) capToDelivery(r, mult, floor float64) float64 {
	if d := a.dr.max(3); d > 0 {
		return min(r, max(mult*d, floor))
	}
	return r
}

func orElse(v, def float64) float64 {
	if v > 0 {
		return v
	}
	return def
}
