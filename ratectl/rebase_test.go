package ratectl

import (
	"testing"
	"time"
)

// When the path's own delay grows (a route change, a busy forwarder) and no
// queue of this flow's explains it, the base RTT must follow at the next
// base-RTT probe, not a whole BaseRTTWindow later: until it does, the delay
// mode reads the extra delay as its own queue and will not probe for
// bandwidth. (A 12 ms shift froze a P5 transfer at 55 % of the link for
// 10 s in the WAN lab.)
func TestBaseFollowsAPathDelayIncrease(t *testing.T) {
	c, err := New(Config{Policy: Fair})
	if err != nil {
		t.Fatal(err)
	}
	const capacity = 10e6
	now := feed(c, t0, 5*time.Second, 100*time.Millisecond, capacity, 0)
	shift := now
	// The path's delay is now 30 ms longer, whatever the flow does.
	now = feed(c, now, probeBaseAfter+2*time.Second, 130*time.Millisecond, capacity, 0)
	got := c.Snapshot().BaseRTT
	if got < 125*time.Millisecond {
		t.Fatalf("%v after the path's delay grew to 130 ms, the base RTT is still %v", now.Sub(shift), got)
	}
	if q := c.Snapshot().QueueDelay; q > 10*time.Millisecond {
		t.Fatalf("queueing delay %v read from the path's own delay", q)
	}
}
