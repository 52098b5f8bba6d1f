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
// queue: the upper half's loss ratio is more than twice the lower half's
// (plus 0.2 %), and a two-proportion z-test puts the difference more than
// overflowZ standard errors out, counting the sampling noise of both
// halves. The test runs every round, so a weaker one (the upper half's
// count against a floored lower ratio taken as exact) fired on random loss
// alone: at 3 % random loss, in 8 of 108 seeded runs on deep buffers.
func (l *lossPlace) overflowing(mss int) bool {
	m := float64(mss)
	x1, n1 := l.hiLost/m, (l.hiLost+l.hiAcked)/m
	x2, n2 := l.loLost/m, (l.loLost+l.loAcked)/m
	if x1 < 3 || n2 < minLowerPackets {
		// Too little traffic under half the ceiling to know the loss
		// there: a flow that keeps its queue steady puts nearly all its
		// packets in the upper half.
		return false
	}
	p1, p2 := x1/n1, x2/n2
	if p1 <= 2*p2+0.002 {
		return false
	}
	p := (x1 + x2) / (n1 + n2)
	se := math.Sqrt(p * (1 - p) * (1/n1 + 1/n2))
	return (p1-p2)/se > overflowZ
}

// overflowZ is the z-score overflowing asks for.
const overflowZ = 3.5
