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
