package ratectl

import (
	"testing"
	"time"
)

var t0 = time.Unix(1_000_000, 0)

// feed drives ctl with acks of a steady flow for d: one ack per ms of
// rate's worth of bytes with RTT rtt, and every lossEvery-th ack a loss
// (0: none).
func feed(ctl Controller, start time.Time, d, rtt time.Duration, rate float64, lossEvery int) time.Time {
	const step = time.Millisecond
	bytes := int(rate * step.Seconds())
	delivered := rate
	if lossEvery > 0 {
		delivered = rate * (1 - 1/float64(lossEvery))
	}
	now := start
	for i := 1; now.Before(start.Add(d)); i++ {
		now = now.Add(step)
		if lossEvery > 0 && i%lossEvery == 0 {
			ctl.OnLoss(now, bytes)
			continue
		}
		ctl.OnAck(now, AckSample{AckedBytes: bytes, RTT: rtt, InFlight: bytes * 10, DeliveryRate: delivered})
	}
	return now
}

func TestFixedIgnoresThePath(t *testing.T) {
	ctl, _ := New(Config{Policy: Fixed, TargetRate: 1e6})
	feed(ctl, t0, 2*time.Second, 300*time.Millisecond, 1e5, 2) // 50% loss, long RTT
	if ctl.Rate() != 1e6 {
		t.Fatalf("fixed rate %v, want 1e6", ctl.Rate())
	}
	if lim := ctl.InflightLimit(); lim < int(1e6*0.3) {
		t.Fatalf("inflight limit %d cannot carry the target at 300 ms", lim)
	}
}

func TestAdaptiveBounds(t *testing.T) {
	for _, p := range []Policy{Fair, High, Low} {
		cfg := Config{Policy: p, TargetRate: 2e6, MinRate: 1e5}
		up, _ := New(cfg)
		feed(up, t0, 5*time.Second, 20*time.Millisecond, 1e9, 0) // empty queue, huge delivery
		if up.Rate() != 2e6 {
			t.Errorf("%v: rate %v above or below target 2e6 on a free path", p, up.Rate())
		}
		down, _ := New(cfg)
		now := feed(down, t0, time.Second, 20*time.Millisecond, 1e6, 0)
		feed(down, now, 10*time.Second, 500*time.Millisecond, 1e3, 0) // huge queue
		if down.Rate() != 1e5 {
			t.Errorf("%v: rate %v, want the 1e5 floor under a standing queue", p, down.Rate())
		}
	}
}

func TestFairIgnoresRandomLossButNotHeavyLoss(t *testing.T) {
	const rate = 5e6
	cases := []struct {
		lossEvery int
		wantAbove float64
		wantBelow float64
	}{
		{0, 0.9 * rate, 1e18},
		{10, 0.9 * rate, 1e18}, // 10% loss at a constant RTT: random
		{2, 0, 0.5 * rate},     // 50% loss: congestion
	}
	for _, c := range cases {
		ctl, _ := New(Config{Policy: Fair, TargetRate: rate, InitialRate: rate})
		feed(ctl, t0, 5*time.Second, 50*time.Millisecond, rate, c.lossEvery)
		if r := ctl.Rate(); r < c.wantAbove || r > c.wantBelow {
			t.Errorf("loss 1/%d: rate %.0f, want in [%.0f, %.0f]", c.lossEvery, r, c.wantAbove, c.wantBelow)
		}
	}
}

func TestLowBacksOffBeforeFair(t *testing.T) {
	// A steady 8 ms queue: over low's target, under fair's.
	low, _ := New(Config{Policy: Low, InitialRate: 5e6})
	fair, _ := New(Config{Policy: Fair, InitialRate: 5e6})
	for _, c := range []Controller{low, fair} {
		now := feed(c, t0, time.Second, 40*time.Millisecond, 5e6, 0)
		feed(c, now, 3*time.Second, 48*time.Millisecond, 5e6, 0)
	}
	if low.Rate() >= fair.Rate() {
		t.Errorf("low %.0f not below fair %.0f with an 8 ms queue", low.Rate(), fair.Rate())
	}
	if s := low.Snapshot(); s.BaseRTT != 40*time.Millisecond || s.Policy != Low {
		t.Errorf("snapshot %+v", s)
	}
}

func TestModesInSnapshot(t *testing.T) {
	ctl, _ := New(Config{Policy: Fair})
	if m := ctl.Snapshot().Mode; m != "startup" {
		t.Fatalf("initial mode %q", m)
	}
	now := feed(ctl, t0, 2*time.Second, 40*time.Millisecond, 1e6, 0) // delivery stalls: startup ends
	if m := ctl.Snapshot().Mode; m == "startup" {
		t.Fatalf("still in startup after a flat delivery rate")
	}
	_ = now
}

// Three losses among six packets can be chance at 10 % random loss, not
// heavy loss: a round that small must not cut the rate (it once cut to a
// tenth of a megabit, under the tiny delivery rate the round measured).
// The same ratio over 60 packets does cut.
func TestHeavyLossNeedsAFullRound(t *testing.T) {
	const pkt = DefaultMSS
	run := func(packets, lossEvery int) float64 {
		ctl, _ := New(Config{Policy: Fair, InitialRate: 5e6})
		now := t0
		rtt := 500 * time.Millisecond
		for i := range packets {
			now = now.Add(rtt / time.Duration(packets+1))
			if i%lossEvery == lossEvery-1 {
				ctl.OnLoss(now, pkt)
				continue
			}
			ctl.OnAck(now, AckSample{AckedBytes: pkt, RTT: rtt, InFlight: pkt, DeliveryRate: 1e6})
		}
		ctl.OnAck(now.Add(rtt), AckSample{AckedBytes: pkt, RTT: rtt, InFlight: pkt, DeliveryRate: 1e6})
		return ctl.Rate()
	}
	if r := run(6, 2); r < 5e6 {
		t.Errorf("3 losses in 6 packets cut the rate to %.0f", r)
	}
	// A heavy round cuts under its delivery rate by half its loss ratio:
	// 1e6 × (1 − 0.5/2).
	if r := run(60, 2); r != 750e3 {
		t.Errorf("30 losses in 60 packets: rate %.0f, want the heavy-loss cut to 750000", r)
	}
}
