package probe

import (
	"math"
	"testing"
	"time"
)

func TestCountRuns(t *testing.T) {
	cases := []struct {
		seen []bool
		want int
	}{
		{[]bool{true, true}, 0},
		{[]bool{false, true, false, false, true}, 2},
		{[]bool{false, false, false}, 1},
		{nil, 0},
	}
	for _, c := range cases {
		if got := countRuns(c.seen); got != c.want {
			t.Errorf("countRuns(%v) = %d, want %d", c.seen, got, c.want)
		}
	}
}

func TestResultFigures(t *testing.T) {
	r := Result{Sent: 100, Received: 92, Duplicates: 2, LossBursts: 5,
		First: 0, Last: time.Second, ReceivedIPBytes: 92 * 1000}
	if got := r.Loss(); math.Abs(got-0.1) > 1e-9 {
		t.Errorf("Loss = %v, want 0.1", got)
	}
	if got := r.MeanBurst(); got != 2 {
		t.Errorf("MeanBurst = %v, want 2", got)
	}
	if got := r.Rate(); got != 91*1000*8 {
		t.Errorf("Rate = %v, want %v", got, 91*1000*8)
	}
	if (Result{}).Rate() != 0 || (Result{}).Loss() != 0 {
		t.Error("empty result should report zero rate and loss")
	}
}
