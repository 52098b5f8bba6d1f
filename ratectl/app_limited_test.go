package ratectl

import (
	"testing"
	"time"
)

// Regression: a connection that sits idle (keepalives, small requests)
// before its transfer starts must keep its rate. Its controller used to
// learn the idle delivery rate as the path's and start the transfer near
// zero, taking seconds to recover.
func TestIdleRoundsKeepTheRate(t *testing.T) {
	c, err := New(Config{Policy: Fair})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(0, 0)
	start := c.Rate()
	for i := 0; i < 100; i++ { // 10 s of idle rounds at 100 ms
		now = now.Add(100 * time.Millisecond)
		c.OnAck(now, AckSample{AckedBytes: 60, RTT: 100 * time.Millisecond, DeliveryRate: 600, AppLimited: true})
	}
	if got := c.Rate(); got < start {
		t.Fatalf("idle connection's rate fell from %.0f to %.0f B/s", start, got)
	}
}
