package ratectl

import "time"

// Sharing with a loss-blind competitor (BBR v1).
//
// BBR v1 ignores loss: on a buffer of about one bandwidth-delay product
// it keeps the buffer full, and the compete mode's Reno-like answer to the
// losses that causes starves the flow (a tenth of the link or less in the
// simulator; see docs/ratectl.md, "The fairness matrix, and sharing with
// BBR"). What gives BBR v1 away is its ProbeRTT: after 10 s without a new
// minimum RTT it sends four packets a round trip for 200 ms, so the queue
// it held drains to the base and refills within a round trip or two, every
// 10 s. A loss-based flow (CUBIC, Reno) empties the queue only in answer
// to an overflow, at its sawtooth's period, which can be 10 s too; but
// between its overflows the flow sharing the buffer with it loses little,
// whereas a loss-blind flow keeps the buffer overflowing every few round
// trips.
//
// So a dip counts when the queue had stood over two targets for a second
// or more, with losses in at least dipLossEpisodes separate round trips,
// fell under half the target, and came back over the target within
// dipBaseLen + dipRTTs SRTTs. The falling edge must be steep: a round
// between half a target and a target resets the standing queue, so a dip
// that lingers there a round is missed. Letting it pass (tried) let random
// loss of 0.05 % satisfy the loss guard, and the flow followed CUBIC and
// Reno (TestNoFollowAgainstLossBasedTCP); a loss signature that random
// loss does not have would be needed first.
//
// Two dips dipEveryMin to dipEveryMax apart mark a loss-blind
// competitor for blindHold, renewed by each further such dip; meanwhile the
// flow follows its own delivery rate as BBR does (the follow mode) and does
// not answer losses, so that the two loss-blind flows share as two BBR
// flows do.

const (
	blindBaseWindow = 30 * time.Second // the dips' reference: the least RTT over this span
	dipHighBefore   = time.Second      // the queue stood over two targets at least this long before a dip
	dipLossEpisodes = 3                // round trips with losses while it stood
	dipBaseLen      = time.Second      // a dip lasts at most this plus dipRTTs smoothed RTTs
	dipRTTs         = 4
	dipEveryMin     = 9 * time.Second // BBR v1 probes its RTT 10 s after the last new minimum
	dipEveryMax     = 12 * time.Second
	blindHold       = 25 * time.Second // how long the last periodic dip keeps the competitor assumed
	followGainUp    = 1.25             // BBR v1's ProbeBW gains
	followGainDown  = 0.75
	maxFollowMult   = 4 // a probe that found room is repeated with twice the gain, up to this many times the first
)

// blindWatch looks for a loss-blind competitor's periodic RTT probes in
// the rounds' minimum RTT. It keeps its own reference for the queue: the
// base RTT's 10 s window expires just as BBR's does, so the base itself
// rises to the competitor's queue right before each of its dips.
type blindWatch struct {
	longBase minFilter
	highFrom time.Time // the queue has stood since (zero: it does not)
	episodes int       // round trips with losses since highFrom
	lastLoss time.Time
	dipFrom  time.Time    // a dip began (zero: none running)
	lastDips [4]time.Time // the last dips counted, a ring
	until    time.Time    // a loss-blind competitor is assumed until then
	dips     int          // dips counted, for traces
}

func newBlindWatch() blindWatch { return blindWatch{longBase: newMinFilter(blindBaseWindow)} }

// blindRound is one round as blindWatch sees it.
type blindRound struct {
	minRTT, srtt, target time.Duration
	lost                 bool // the round lost packets
	own                  bool // the flow drained in it (a base probe, the follow cycle's low round): a dip is its own
}

func (w *blindWatch) round(now time.Time, r blindRound) {
	w.longBase.Update(now, r.minRTT)
	if r.lost {
		if w.lastLoss.IsZero() || now.Sub(w.lastLoss) > 2*r.srtt {
			w.episodes++
		}
		w.lastLoss = now
	}
	if r.own {
		return
	}
	q := r.minRTT - w.longBase.Get(now)
	switch {
	case q > r.target:
		if !w.dipFrom.IsZero() && now.Sub(w.dipFrom) <= dipBaseLen+dipRTTs*r.srtt {
			w.dipped(now)
		}
		w.dipFrom = time.Time{}
		if q > 2*r.target && w.highFrom.IsZero() {
			w.highFrom, w.episodes = now, 0
		}
	case q < r.target/2:
		if w.dipFrom.IsZero() && !w.highFrom.IsZero() && now.Sub(w.highFrom) >= dipHighBefore && w.episodes >= dipLossEpisodes {
			w.dipFrom = now
		}
		w.highFrom, w.episodes = time.Time{}, 0
	case q < r.target && w.dipFrom.IsZero():
		w.highFrom, w.episodes = time.Time{}, 0 // a queue of the flow's own size
	}
}

// dipped counts a dip that refilled in time; one at BBR's period after
// the last marks the competitor.
//
// Any of the last few dips may be the one before: a dip of another kind
// between two of BBR's (a drain of the flow's own that outlasted its
// mark, a competitor's other move) must not break the sequence.
func (w *blindWatch) dipped(now time.Time) {
	w.dips++
	for _, t := range w.lastDips {
		if d := now.Sub(t); !t.IsZero() && d >= dipEveryMin && d <= dipEveryMax {
			w.until = now.Add(blindHold)
		}
	}
	w.lastDips[w.dips%len(w.lastDips)] = now
}

func (w *blindWatch) active(now time.Time) bool { return now.Before(w.until) }

// followRound paces at the largest delivery rate of the last ten rounds,
// with BBR v1's gain cycle, losses ignored. A probe that found room is
// repeated at once with twice the gain, until the gain is maxFollowMult
// times the first (repeating for ever kept the flow draining), as
// the delay mode's are: the flow arrives here squeezed to a small share,
// and BBR's one probe in eight regained it at about 1.3 Mbit/s a second
// in the lab.
func (a *adaptive) followRound(now time.Time) {
	if a.mode != modeFollow {
		a.mode, a.phase, a.highRounds, a.lowRounds, a.probeMult = modeFollow, phaseProbe, 0, 0, 1
	}
	bw := a.dr.max(len(a.dr.v))
	g := (followGainUp - 1) * a.probeMult
	switch a.phase {
	case phaseProbe:
		a.probeBW = bw
		a.setRate(bw * (1 + g))
	case phaseDrain:
		// Its dip shows in the next two round trips' samples; marking
		// three swallowed BBR's own dips and let the mode lapse.
		a.setRate(bw * followGainDown)
		a.ownDipUntil = now.Add(2 * a.rtt.srtt)
	case phaseCruise:
		a.setRate(bw)
		if bw > a.probeBW*(1+g/2) && a.probeMult < maxFollowMult {
			a.phase, a.probeMult = phaseProbe, 2*a.probeMult
			return
		}
		a.probeMult = 1
	default:
		a.setRate(bw)
	}
	a.phase = (a.phase + 1) % cycleLen
}

// leaveFollow returns to the delay mode once the competitor is gone.
func (a *adaptive) leaveFollow(now time.Time) {
	a.mode, a.phase, a.probeMult = modeDelay, phaseCruise, 1
	a.lastNearBase = now
}
