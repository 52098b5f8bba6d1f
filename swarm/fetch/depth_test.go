package fetch

import (
	"testing"
	"time"
)

func TestDepthFollowsBDP(t *testing.T) {
	t0 := time.Unix(0, 0)
	var d depthMeter
	if got := d.depth(1<<20, 32); got != initialDepth {
		t.Fatalf("before any sample: %d", got)
	}
	d.tick(t0)
	// 100 MB/s for a second, 100 ms unloaded latency: BDP 9.5 chunks of 1 MiB.
	for i := range 10 {
		d.delivered(10e6, 100*time.Millisecond, t0.Add(time.Duration(i)*100*time.Millisecond))
	}
	d.tick(t0.Add(time.Second))
	d.rate = 100e6 // skip the EWMA warm-up
	if got := d.depth(1<<20, 32); got != 10+depthSlack {
		t.Fatalf("depth %d, want %d", got, 10+depthSlack)
	}
	if got := d.depth(1<<20, 8); got != 8 {
		t.Fatalf("not capped: %d", got)
	}
	d.rate = 1 // a trickle: one chunk of BDP plus the slack
	if got := d.depth(1<<20, 32); got != 1+depthSlack {
		t.Fatalf("slow source depth %d", got)
	}
}
