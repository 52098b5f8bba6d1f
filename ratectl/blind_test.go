package ratectl_test

import (
	"testing"
	"time"

	"github.com/swarm-project/swarm/ratectl"
	"github.com/swarm-project/swarm/ratectl/linksim"
)

// followWatch records whether the controller it wraps ever entered the
// follow mode (the answer to a loss-blind competitor).
type followWatch struct {
	ratectl.Controller
	followed time.Duration // first time in follow mode, from the first ack
	t0, last time.Time
	in, out  time.Duration // time in and out of the follow mode since it was first entered
}

func (f *followWatch) OnAck(now time.Time, s ratectl.AckSample) {
	f.Controller.OnAck(now, s)
	if f.t0.IsZero() {
		f.t0 = now
	}
	following := f.Snapshot().Mode == "follow"
	if f.followed == 0 && following {
		f.followed = now.Sub(f.t0)
	}
	if f.followed > 0 && !f.last.IsZero() {
		if following {
			f.in += now.Sub(f.last)
		} else {
			f.out += now.Sub(f.last)
		}
	}
	f.last = now
}

// runWatched runs fair joining a TCP model (nil: alone) join after it and
// returns fair's share of what both got over the window and the watch.
func runWatched(t *testing.T, sc scenario, tcp linksim.Sender, join time.Duration) (float64, *followWatch) {
	t.Helper()
	w := &followWatch{Controller: newCtl(t, ratectl.Config{Policy: ratectl.Fair})}
	sim := linksim.New(sc.link)
	sim.Add(linksim.NewRateFlow(w, simMSS), join, 0)
	if tcp != nil {
		sim.Add(tcp, 0, 0)
	}
	sim.MeasureFrom(sc.warmup)
	sim.Run(sc.duration)
	ours := sc.result(sim, 0).share
	if tcp == nil {
		return ours, w
	}
	return ours / (ours + sc.result(sim, 1).share), w
}

// Against BBR v1 on a buffer of one bandwidth-delay product the compete
// mode's Reno-like answer to loss left fair 0.07 of the link (the lab's
// sharing link: 50 Mbit/s, 50 ms, fair joining 8 s after BBR). BBR's
// ProbeRTT dips give it away, and fair then follows its delivery rate as
// BBR does.
func TestFairSharesWithBBR(t *testing.T) {
	join := 8 * time.Second
	for _, mbps := range []float64{20, 50} {
		sc := scenario{link(mbps, 50*time.Millisecond, 0, 1), join + 15*time.Second, join + 65*time.Second}
		share, w := runWatched(t, sc, linksim.NewBBR(simMSS), join)
		t.Logf("fair joining BBR at %.0f Mbit/s: %.3f of the total; follow from %v; %d dips", mbps, share, w.followed, w.Snapshot().Dips)
		if w.Snapshot().Dips < 2 {
			t.Errorf("the snapshot (and the trace) counted %d dips, want the two that turned the follow mode on", w.Snapshot().Dips)
		}
		if share < 1.0/3 {
			t.Errorf("fair joining BBR at %.0f Mbit/s, 50 ms, 1 BDP got %.3f of what both got, want at least a third", mbps, share)
		}
	}
}

// The follow mode ignores loss: against CUBIC or Reno it would take most
// of the link. Their sawtooth can empty the queue every 10 s too (the
// first version of the detector took 0.79 from Reno at 100 Mbit/s, 50 ms,
// half a BDP, and 0.72 from CUBIC on the lab's sharing link), so the
// links here are those where it, or a variant, did.
func TestNoFollowAgainstLossBasedTCP(t *testing.T) {
	cases := []struct {
		mbps float64
		rtt  time.Duration
		bdps float64
		join time.Duration
		loss float64
	}{
		{50, 50 * time.Millisecond, 1, 8 * time.Second, 0},
		{100, 50 * time.Millisecond, 0.5, 0, 0},
		{100, 20 * time.Millisecond, 2, 0, 0},
		{100, 150 * time.Millisecond, 0.5, 0, 0},
		{20, 20 * time.Millisecond, 2, 0, 0},
		{20, 20 * time.Millisecond, 1, 0, 0}, // a single dip as evidence took 0.85 from CUBIC here
		// Random loss spreads losses over the standing queue as a
		// loss-blind competitor does (found by review: a detector that
		// caught a dip's slower falling edge followed CUBIC here).
		{20, 40 * time.Millisecond, 1, 0, 0.002},
		{20, 40 * time.Millisecond, 1, 0, 0.0005},
		{50, 50 * time.Millisecond, 1, 8 * time.Second, 0.01},
	}
	for _, c := range cases {
		for _, tcp := range competitors[1:] { // cubic, reno
			sc := scenario{link(c.mbps, c.rtt, c.loss, c.bdps), c.join + 15*time.Second, c.join + 65*time.Second}
			share, w := runWatched(t, sc, tcp.mk(), c.join)
			if w.followed > 0 {
				t.Errorf("fair vs %s at %.0f Mbit/s, %v, %.1f BDP, %.2f%% loss went into the follow mode at %v (share %.2f)",
					tcp.name, c.mbps, c.rtt, c.bdps, c.loss*100, w.followed, share)
			}
		}
	}
}

// Alone, with random loss, jitter or not, nothing is a competitor.
func TestNoFollowAlone(t *testing.T) {
	jittery := link(100, 100*time.Millisecond, 0.01, 1)
	jittery.Jitter = 10 * time.Millisecond
	for name, sc := range map[string]scenario{
		"P2": p2, "P3": p3, "P5": p5,
		"P2 with ±10 ms of jitter": {jittery, 5 * time.Second, 30 * time.Second},
	} {
		_, w := runWatched(t, sc, nil, 0)
		if w.followed > 0 {
			t.Errorf("fair alone on %s went into the follow mode at %v", name, w.followed)
		}
	}
}

// The follow mode lasts while BBR does: BBR's later dips renew it. The
// first version marked three round trips after each of its drains as the
// flow's own, and a probe that found room repeated at once for ever, so
// BBR's dips fell in those rounds and the mode lapsed 25 s after it began
// every time (found by review): 0.47 of the time in it, against 0.70 now.
// Still not all: a dip whose falling edge spends a round between half a
// target and a target is missed (see blind.go).
func TestFollowLastsWhileBBRDoes(t *testing.T) {
	join := 8 * time.Second
	sc := scenario{link(50, 50*time.Millisecond, 0, 1), join + 60*time.Second, join + 150*time.Second}
	share, w := runWatched(t, sc, linksim.NewBBR(simMSS), join)
	held := w.in.Seconds() / (w.in + w.out).Seconds()
	t.Logf("fair joining BBR: follow from %v, then in it %.2f of the time; %.3f of the total from 60 to 150 s", w.followed, held, share)
	if held < 0.6 {
		t.Errorf("fair held the follow mode %.2f of the time after entering it, with BBR there throughout; want at least 0.6", held)
	}
}
