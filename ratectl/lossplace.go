package ratectl

import "time"

// lossPlace tells congestion loss from random loss by where in the queue
// it happens. A drop-tail buffer drops only when it is full, so congestion
// losses come while the queueing delay is near the highest the path has
// shown; random loss (radio, a lossy link) strikes whatever the queue.
// Delivered and lost bytes are counted apart for the upper and the lower
// half of the recent queueing-delay ceiling, with a memory of about ten
// rounds.
type lossPlace struct {
	ceil     longMax // per-round largest queueing delay, in seconds
	roundMax time.Duration
	hiAcked  float64 // bytes acked with the queue in its upper half
	hiLost   float64
	loAcked  float64
	loLost   float64
}

// lossPlaceDecay is the weight each round keeps of the counts before it.
const lossPlaceDecay = 0.9

// ceiling is the largest queueing delay of the last 32 rounds.
func (l *lossPlace) ceiling() time.Duration {
	return time.Duration(l.ceil.max(len(l.ceil.v)) * float64(time.Second))
}

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
	l.roundMax = 0
	l.hiAcked *= lossPlaceDecay
	l.hiLost *= lossPlaceDecay
	l.loAcked *= lossPlaceDecay
	l.loLost *= lossPlaceDecay
}

// overflowing reports whether recent losses gathered at the top of the
// queue: at least a few packets' worth, at over twice the loss ratio lower
// down plus a margin.
func (l *lossPlace) overflowing(mss int) bool {
	if l.hiLost < 3*float64(mss) {
		return false
	}
	hi := l.hiLost / (l.hiLost + l.hiAcked)
	lo := 0.0
	if t := l.loLost + l.loAcked; t > 0 {
		lo = l.loLost / t
	}
	return hi > 2*lo+0.002
}
