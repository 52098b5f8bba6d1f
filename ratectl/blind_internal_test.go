package ratectl

import (
	"testing"
	"time"
)

// TestBlindWatch feeds blindWatch synthetic rounds (100 ms each, base RTT
// 50 ms, target 10 ms): the flow alone for a second, then a queue of 40
// ms standing between dips to the base, with or without the losses a
// loss-blind competitor causes. (A flow that joins a standing queue
// learns the base at the first dip, and counts from the second.)
func TestBlindWatch(t *testing.T) {
	const base, round = 50 * time.Millisecond, 100 * time.Millisecond
	type dip struct {
		at, length time.Duration
		own        bool
	}
	bbr := []dip{{10 * time.Second, 300 * time.Millisecond, false}, {20200 * time.Millisecond, 300 * time.Millisecond, false}}
	for _, c := range []struct {
		name      string
		dips      []dip
		lossEvery int // rounds between lossy rounds while the queue stands (0: none)
		queue     time.Duration
		want      bool
	}{
		{"BBR's ProbeRTT every 10 s", bbr, 5, 40 * time.Millisecond, true},
		{"no losses between the dips (a loss-based competitor)", bbr, 0, 40 * time.Millisecond, false},
		{"a queue of the flow's own size", bbr, 5, 15 * time.Millisecond, false},
		{"dips 6 s apart", []dip{{10 * time.Second, 300 * time.Millisecond, false}, {16 * time.Second, 300 * time.Millisecond, false}}, 5, 40 * time.Millisecond, false},
		{"another dip between two of BBR's", []dip{{10 * time.Second, 300 * time.Millisecond, false},
			{14 * time.Second, 300 * time.Millisecond, false}, {20200 * time.Millisecond, 300 * time.Millisecond, false}}, 5, 40 * time.Millisecond, true},
		{"slow refills", []dip{{10 * time.Second, 3 * time.Second, false}, {20200 * time.Millisecond, 3 * time.Second, false}}, 5, 40 * time.Millisecond, false},
		{"the flow's own drains", []dip{{10 * time.Second, 300 * time.Millisecond, true}, {20200 * time.Millisecond, 300 * time.Millisecond, true}}, 5, 40 * time.Millisecond, false},
	} {
		w := newBlindWatch()
		t0 := time.Unix(0, 0)
		got := false
		for i := range 300 {
			el := time.Duration(i) * round
			r := blindRound{minRTT: base + c.queue, srtt: base + c.queue, target: 10 * time.Millisecond}
			if el < time.Second {
				r.minRTT = base
			}
			for _, d := range c.dips {
				if el >= d.at && el < d.at+d.length {
					r.minRTT, r.own = base, d.own
				}
			}
			r.lost = c.lossEvery > 0 && i%c.lossEvery == 0 && r.minRTT > base
			w.round(t0.Add(el), r)
			got = got || w.active(t0.Add(el))
		}
		if got != c.want {
			t.Errorf("%s: loss-blind competitor found: %v, want %v", c.name, got, c.want)
		}
	}
}
