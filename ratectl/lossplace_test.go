package ratectl

import (
	"math/rand/v2"
	"testing"
	"time"
)

// Random loss strikes whatever the queue; overflow only at its top.
func TestLossPlaceTellsOverflowFromRandomLoss(t *testing.T) {
	const mss = 1400
	rng := rand.New(rand.NewPCG(1, 2))
	run := func(lossAt func(q time.Duration) float64) bool {
		var l lossPlace
		for range 40 { // rounds
			for range 200 { // packets
				q := time.Duration(rng.Float64() * float64(10*time.Millisecond))
				if rng.Float64() < lossAt(q) {
					l.lost(q, mss)
				} else {
					l.acked(q, mss)
				}
			}
			l.endRound()
		}
		return l.overflowing(mss)
	}
	if run(func(time.Duration) float64 { return 0.05 }) {
		t.Error("5 % random loss taken for overflow")
	}
	if !run(func(q time.Duration) float64 {
		if q > 9*time.Millisecond {
			return 0.3
		}
		return 0
	}) {
		t.Error("loss only at the top of the queue not taken for overflow")
	}
	if !run(func(q time.Duration) float64 {
		if q > 9*time.Millisecond {
			return 0.15
		}
		return 0.01
	}) {
		t.Error("overflow on a path with 1 % random loss not taken for overflow")
	}
}
