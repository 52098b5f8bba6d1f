package linksim

import (
	"testing"
	"time"
)

// A packet reaching the bottleneck during a pause starts when the pause
// ends, others at once; pauses of 5 ms about every 100 ms hold about 5 %
// of packets evenly spread in time.
func TestPauseHoldsPacketsInside(t *testing.T) {
	s := New(Link{PauseEvery: 100 * time.Millisecond, PauseFor: 5 * time.Millisecond, Seed: 3})
	held, prev := 0, Epoch
	const n = 200000
	for i := range n {
		arr := Epoch.Add(time.Duration(i) * 50 * time.Microsecond)
		got := s.pause(arr)
		switch {
		case got.Before(arr) || got.Before(prev):
			t.Fatalf("packet at %v started at %v, before it or the one ahead (%v)", arr, got, prev)
		case got.Sub(arr) > 5*time.Millisecond:
			t.Fatalf("packet at %v held %v, longer than a pause", arr, got.Sub(arr))
		case got.After(arr):
			held++
		}
		prev = got
	}
	if f := float64(held) / n; f < 0.035 || f > 0.065 {
		t.Errorf("%.3f of packets held, want about 0.048", f)
	}
}
