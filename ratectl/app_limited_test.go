package ratectl

import (
	"testing"
	"time"
)

// Regression: a connection that goes idle between transfers (keepalives,
// small app-limited requests) must keep the bandwidth it learned. Its
// controller used to take the idle delivery rate for the path's and start
// the next transfer near zero, taking seconds to recover.
func TestIdleRoundsKeepTheRate(t *testing.T) {
	for _, p := range []Policy{Fair, High, Low} {
		c, err := New(Config{Policy: p})
		if err != nil {
			t.Fatal(err)
		}
		now := feed(c, t0, 3*time.Second, 50*time.Millisecond, 10e6, 0) // a 10 MB/s transfer
		learned := c.Rate()
		for i := 0; i < 200; i++ { // then 10 s idle
			now = now.Add(50 * time.Millisecond)
			c.OnAck(now, AckSample{AckedBytes: 100, RTT: 50 * time.Millisecond, DeliveryRate: 2e3, AppLimited: true})
		}
		if got := c.Rate(); got < learned/2 {
			t.Errorf("%v: rate fell from %.0f to %.0f B/s while idle", p, learned, got)
		}
	}
}

// An app-limited sender whose rate is far over the path must not keep it
// while its bursts build a queue: nothing else steers it, since every
// round ends app-limited (a lab run at P2 sent 87 % of the data twice).
func TestAppLimitedBurstsThatQueueAreHeld(t *testing.T) {
	c, err := New(Config{Policy: Fair})
	if err != nil {
		t.Fatal(err)
	}
	a := c.(*adaptive)
	now := feed(c, t0, 3*time.Second, 50*time.Millisecond, 10e6, 0) // 10 MB/s, no queue
	for range 40 {                                                  // then app-limited, still no queue
		now = now.Add(5 * time.Millisecond)
		c.OnAck(now, AckSample{AckedBytes: 50e3, RTT: 50 * time.Millisecond, DeliveryRate: 10e6, AppLimited: true})
	}
	a.setRate(100e6) // an estimate ten times too high
	for range 100 {  // bursts that queue 40 ms and end app-limited
		now = now.Add(5 * time.Millisecond)
		c.OnAck(now, AckSample{AckedBytes: 50e3, RTT: 90 * time.Millisecond, DeliveryRate: 10e6, AppLimited: true})
	}
	if got := c.Rate(); got > 25e6 {
		t.Errorf("rate %.0f B/s after app-limited rounds that queue 40 ms, want at most twice the 10 MB/s delivered", got)
	}
	// A request stream, app-limited and seeing the other direction's
	// queue, keeps at least the initial rate.
	r, _ := New(Config{Policy: Fair})
	now = t0
	for range 400 {
		now = now.Add(5 * time.Millisecond)
		r.OnAck(now, AckSample{AckedBytes: 200, RTT: 150 * time.Millisecond, DeliveryRate: 4e4, AppLimited: true})
	}
	if got := r.Rate(); got < DefaultInitialRate {
		t.Errorf("request stream rate %.0f B/s, want at least the initial %d", got, DefaultInitialRate)
	}
}

// Startup's overshoot drops are its own: losses during its drain must not
// count as random loss (the path rate would be inflated by them) nor as
// a place in the queue.
func TestStartupOvershootLossesAreNotCounted(t *testing.T) {
	c, err := New(Config{Policy: Fair})
	if err != nil {
		t.Fatal(err)
	}
	a := c.(*adaptive)
	now := feed(c, t0, 60*time.Millisecond, 50*time.Millisecond, 10e6, 0) // a round at the base RTT
	for i := 0; i < 50 && a.mode == modeStartup; i++ {                    // then the queue shows
		now = now.Add(time.Millisecond)
		c.OnAck(now, AckSample{AckedBytes: 10e3, RTT: 80 * time.Millisecond, InFlight: 10e6, DeliveryRate: 10e6})
	}
	if a.mode != modeDrain || !a.openDrain {
		t.Fatalf("mode %v after a queue showed in startup, want startup's drain", modeNames[a.mode])
	}
	before, hi, lo := a.loss.rate, a.place.hiLost, a.place.loLost
	for range 20 {
		now = now.Add(time.Millisecond)
		c.OnLoss(now, 100e3)
	}
	if a.loss.rate != before || a.place.hiLost != hi || a.place.loLost != lo {
		t.Errorf("overshoot losses counted: loss ratio %.3f → %.3f", before, a.loss.rate)
	}
}
