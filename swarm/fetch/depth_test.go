package fetch

import (
	"testing"
	"time"
)

// feedMeter delivers rate bytes/s for d in 250 ms ticks, each reply taking
// lat, starting at t.
func feedMeter(m *depthMeter, t time.Time, d time.Duration, rate float64, lat time.Duration) time.Time {
	const step = 250 * time.Millisecond
	for end := t.Add(d); t.Before(end); {
		t = t.Add(step)
		m.delivered(int64(rate*step.Seconds()), lat, t)
		m.tick(t)
	}
	return t
}

func TestDepthFollowsBDP(t *testing.T) {
	t0 := time.Unix(0, 0)
	var d depthMeter
	if got := d.depth(1<<20, 32); got != 16 {
		t.Fatalf("before any sample: %d, want 16 MiB of 1 MiB chunks", got)
	}
	if got := d.depth(16<<20, 32); got != initialDepth {
		t.Fatalf("before any sample, 16 MiB chunks: %d", got)
	}
	d.tick(t0)
	// 40 MB/s, 100 ms unloaded latency: BDP 3.8 chunks of 1 MiB.
	feedMeter(&d, t0, 2*time.Second, 40e6, 100*time.Millisecond)
	want := 10 + depthSlack // ceil(2.5 × 3.81)
	if got := d.depth(1<<20, 32); got != want {
		t.Fatalf("depth %d, want %d", got, want)
	}
	if got := d.depth(1<<20, 4); got != 4 {
		t.Fatalf("not capped: %d", got)
	}
	var slow depthMeter
	slow.tick(t0)
	feedMeter(&slow, t0, 2*time.Second, 1e3, 100*time.Millisecond) // a trickle
	if got := slow.depth(1<<20, 32); got != 1+depthSlack {
		t.Fatalf("slow source depth %d", got)
	}
}

// On a long lossy path replies come in bursts a round trip apart; the depth
// must follow the average, not swing with every burst and gap.
func TestDepthSteadyUnderBurstyDelivery(t *testing.T) {
	now := time.Unix(0, 0)
	var d depthMeter
	d.tick(now)
	const lat = 1600 * time.Millisecond // 500 ms RTT plus loss repair
	lo, hi := 1000, 0
	for i := range 80 { // 20 s: 12 MB/s on average, all of it every 4th tick
		now = now.Add(250 * time.Millisecond)
		if i%4 == 0 {
			d.delivered(12e6, lat, now)
		}
		d.tick(now)
		if i >= 16 {
			got := d.depth(1<<20, 64)
			lo, hi = min(lo, got), max(hi, got)
		}
	}
	// BDP: 12e6 × 1.6 s / 1 MiB = 18.3 chunks; × 2.5 + 2 = 48. A window
	// of 13 ticks holds three or four bursts: 45 to 59.
	if lo < 43 || hi > 62 {
		t.Fatalf("depth swung between %d and %d under bursty delivery, want about 48", lo, hi)
	}
}

// Until a whole averaging window has passed since the first reply, the
// average still covers the connection's setup: the depth must not fall
// under the starting one just as the transport speeds up.
func TestDepthKeepsItsStartUntilAWindowPassed(t *testing.T) {
	now := time.Unix(0, 0)
	var d depthMeter
	d.tick(now)
	now = feedMeter(&d, now, 500*time.Millisecond, 1e5, 400*time.Millisecond) // a slow first half second
	if got := d.depth(1<<20, 32); got != 16 {
		t.Fatalf("depth %d half a window after the first reply, want the starting 16", got)
	}
	feedMeter(&d, now, 2*time.Second, 1e5, 400*time.Millisecond)
	if got := d.depth(1<<20, 32); got != 1+depthSlack {
		t.Fatalf("depth %d once the window passed, want %d", got, 1+depthSlack)
	}
}

// When the rate jumps (the transport's startup ends) the depth follows
// within one unloaded latency, not after the averaging window: the seeder
// must not run out of requests just as the link fills. It falls only with
// the average.
func TestDepthRisesWithTheRate(t *testing.T) {
	now := time.Unix(0, 0)
	var d depthMeter
	d.tick(now)
	const lat = 600 * time.Millisecond
	step := func(n int, perTick float64) {
		for range n {
			now = now.Add(250 * time.Millisecond)
			d.delivered(int64(perTick), lat, now)
			d.tick(now)
		}
	}
	step(16, 0.5e6) // 4 s at 2 MB/s
	before := d.depth(1<<20, 64)
	step(3, 3e6) // 750 ms at 12 MB/s
	// 12e6 × 0.6 s / 1 MiB = 6.9 chunks; × 2.5 + 2 = 20. The 1.25 s average
	// (8 MB/s) alone would give 14.
	if got := d.depth(1<<20, 64); got < 20 {
		t.Fatalf("depth %d (from %d) 750 ms after the rate jumped to 12 MB/s, want at least 20", got, before)
	}
	step(2, 0.5e6) // back to 2 MB/s for 500 ms: the average still holds it up
	if got := d.depth(1<<20, 64); got < 10 {
		t.Fatalf("depth %d 500 ms after the rate fell back: it falls with the average, want at least 10", got)
	}
}
