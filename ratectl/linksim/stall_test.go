package linksim

import (
	"testing"
	"time"
)

// An arrival during a receiver stall is taken when the stall ends, others
// at once; stalls of 5 ms about every 100 ms hold about 5 % of arrivals
// evenly spread in time.
func TestStallDelaysArrivalsInside(t *testing.T) {
	s := New(Link{StallEvery: 100 * time.Millisecond, StallFor: 5 * time.Millisecond, Seed: 3})
	held, prev := 0, Epoch
	const n = 200000
	for i := range n {
		arr := Epoch.Add(time.Duration(i) * 50 * time.Microsecond)
		got := s.stall(arr)
		switch {
		case got.Before(arr) || got.Before(prev):
			t.Fatalf("arrival %v taken at %v, before it or the one ahead (%v)", arr, got, prev)
		case got.Sub(arr) > 5*time.Millisecond:
			t.Fatalf("arrival %v held %v, longer than a stall", arr, got.Sub(arr))
		case got.After(arr):
			held++
		}
		prev = got
	}
	if f := float64(held) / n; f < 0.035 || f > 0.065 {
		t.Errorf("%.3f of arrivals held, want about 0.048", f)
	}
}
