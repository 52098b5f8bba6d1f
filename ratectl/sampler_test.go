package ratectl

import (
	"math"
	"testing"
	"time"
)

func TestRateSamplerSteadyFlow(t *testing.T) {
	var s RateSampler
	const size, gap, rtt = 1000, time.Millisecond, 50 * time.Millisecond // 1e6 B/s
	type pkt struct {
		st SendState
		at time.Time
	}
	var inflight []pkt
	var last float64
	now := t0
	for i := range 500 {
		now = t0.Add(time.Duration(i) * gap)
		for len(inflight) > 0 && !inflight[0].at.After(now) {
			last, _ = s.OnAck(inflight[0].at, inflight[0].st, size)
			inflight = inflight[1:]
		}
		inflight = append(inflight, pkt{s.OnSend(now, len(inflight)*size), now.Add(rtt)})
	}
	if math.Abs(last-1e6) > 0.02e6 {
		t.Fatalf("delivery rate %.0f, want about 1e6", last)
	}
	if s.Delivered() == 0 {
		t.Fatal("nothing delivered")
	}
}

func TestRateSamplerAppLimited(t *testing.T) {
	var s RateSampler
	st := s.OnSend(t0, 0)
	s.OnAppLimited(1000)
	st2 := s.OnSend(t0.Add(time.Millisecond), 1000)
	if st.AppLimited || !st2.AppLimited {
		t.Fatalf("app-limited marks: %v %v", st.AppLimited, st2.AppLimited)
	}
	s.OnAck(t0.Add(10*time.Millisecond), st, 1000)
	s.OnAck(t0.Add(11*time.Millisecond), st2, 1000)
	if st3 := s.OnSend(t0.Add(12*time.Millisecond), 0); st3.AppLimited {
		t.Fatal("still app-limited after the marked bytes were delivered")
	}
}
