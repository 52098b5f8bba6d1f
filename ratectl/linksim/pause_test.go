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

// A pause holds packets without counting the paused time as bytes in the
// queue: a steady 1 kB per ms into a 2 MB/s link with an 8 kB buffer
// fills the buffer during a 10 ms pause and drops only what exceeds it.
func TestPauseKeepsTheBuffer(t *testing.T) {
	l := Link{Rate: 2e6, RTT: 10 * time.Millisecond, Buffer: 8000, PauseEvery: 50 * time.Millisecond, PauseFor: 10 * time.Millisecond, Seed: 5}
	s := New(l)
	s.Add(&steadySender{every: time.Millisecond, size: 1000}, 0, 0)
	s.Run(10 * time.Second)
	st := s.Stats(0)
	pauses := 10 * time.Second / (l.PauseEvery + l.PauseFor)
	// 10 packets arrive in a pause, the buffer holds 8 and the link drains
	// half a packet per ms meanwhile: about 2 drops per pause at most.
	if perPause := float64(st.Dropped) / float64(pauses); perPause > 3 {
		t.Fatalf("%.1f drops per pause, want at most about 2", perPause)
	}
}

// steadySender sends size bytes every interval, whatever happens.
type steadySender struct {
	every time.Duration
	size  int
	last  time.Time
}

func (s *steadySender) Next(now time.Time) time.Time {
	if s.last.IsZero() {
		return now
	}
	return s.last.Add(s.every)
}

func (s *steadySender) Send(now time.Time, _ uint64) int { s.last = now; return s.size }

func (s *steadySender) OnAck(time.Time, Packet, bool) {}
