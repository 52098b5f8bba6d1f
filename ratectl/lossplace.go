package ratectl

import (
	"math"
	"time"
)

// lossPlace tells congestion loss from random loss by where in the queue
// it happens. A drop-tail buffer drops only when it is full, so congestion
// losses come while the queueing delay is near the highest the path has
// shown; random loss (radio, a lossy link) strikes whatever the queue.
// Delivered and lost bytes are counted apart for the upper and the lower
// half of the recent queueing-delay ceiling, with a memory of about ten
// rounds.
type lossPlace struct {
	ceil     longMax       // per-round largest queueing delay, in seconds
	ceilNow  time.Duration // ceil's maximum, as of the last round's end
	roundMax time.Duration
	hiAcked  float64 // bytes acked with the queue in its upper half
	hiLost   float64
	loAcked  float64
	loLost   float64
}

// lossPlaceDecay is the weight each round keeps of the counts before it.
const lossPlaceDecay = 0.9

// minLowerPackets is the traffic under half the ceiling (decayed packet
// count) needed to compare loss ratios.
const minLowerPackets = 50

// ceiling is the largest queueing delay of the last 32 rounds.
func (l *lossPlace) ceiling() time.Duration { return l.ceilNow }

// high reports whether a queueing delay q lies in the upper half of the
// recent ceiling.
func (l *lossPlace) high(q time.Duration) bool {
	c := l.ceiling()
	return c > 0 && q >= c/2
}

func (l *lossPlace) acked(q time.Duration, n int) {
	l.roundMax = max(l.roundMax, q)
	if l.high(q) {
		l.hiAcked += float64(n)
	} else {
		l.loAcked += float64(n)
	}
}

func (l *lossPlace) lost(q time.Duration, n int) {
	if l.high(q) {
		l.hiLost += float64(n)
	} else {
		l.loLost += float64(n)
	}
}

// endRound closes a round.
func (l *lossPlace) endRound() {
	l.ceil.push(l.roundMax.Seconds())
	l.ceilNow = time.Duration(l.ceil.max(len(l.ceil.v)) * float64(time.Second))
	l.roundMax = 0
	l.hiAcked *= lossPlaceDecay
	l.hiLost *= lossPlaceDecay
	l.loAcked *= lossPlaceDecay
	l.loLost *= lossPlaceDecay
}

// overflowing reports whether recent losses gathered at the top of the
// queue: more lost packets there than twice what the loss ratio lower down
// (plus 0.2 %) predicts, and more than three standard deviations over it,
// so that a few random losses among few packets do not pass for overflow.
func (l *lossPlace) overflowing(mss int) bool {
	m := float64(mss)
	lost, total := l.hiLost/m, (l.hiLost+l.hiAcked)/m
	if lost < 3 {
		return false
	}
	loTotal := (l.loLost + l.loAcked) / m
	if loTotal < minLowerPackets {
		// Too little traffic under half the ceiling to know the loss
		// there: a flow that keeps its queue steady puts nearly all its
		// packets in the upper half.
		return false
	}
	// The lower half's ratio, but never under half the overall one: few
	// packets there can show no loss by chance (73 packets at 3 % random
	// loss do one time in nine).
	lo := max(l.loLost/(l.loLost+l.loAcked), (l.loLost+l.hiLost)/(l.loLost+l.loAcked+l.hiLost+l.hiAcked)/2)
	expect := (lo + 0.002) * total
	return lost > 2*expect && lost > expect+3*math.Sqrt(max(expect, 1))
}
