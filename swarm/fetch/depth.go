package fetch

import (
	"math"
	"time"
)

// Pipelining depth per source: enough requests in flight to cover the
// source's bandwidth-delay product with room to spare, no more (memory is
// depth × chunk size per source). It starts at initialInFlight bytes (see
// startDepth) and follows the measurements.
const (
	// initialInFlight is what a source is asked for before its rate is
	// known: enough for a 100 Mbit/s path at 500 ms plus loss repair, or
	// 1 Gbit/s at 100 ms, so that the transport's startup is not held to
	// the pipeline's (a 4-chunk start capped a long path near 8 MB/s
	// until the rate estimate caught up, and ended the transport's
	// startup early). Requests cost the source a read each, nothing more.
	initialInFlight = 16 << 20
	initialDepth    = 4  // at least, for large chunks
	maxStartDepth   = 32 // at most, for small ones: each request is a stream a peer may limit
	minDepth        = 2
	depthSlack      = 2   // requests beyond the BDP, so the pipe never drains
	depthGain       = 2.5 // the BDP is measured low on lossy paths: see depth (1.5 until 2026-11-22: a 1 GB get at 500 Mbit/s, 100 ms, 1 % went from 411 and 422 to 438 and 438 Mbit/s)
	// rateWindow is the shortest span the delivery rate is averaged over;
	// it is at least two unloaded latencies (see rate).
	rateWindow = time.Second
	// fastWindow is the shortest span of the rate the depth rises with.
	fastWindow = 500 * time.Millisecond
	latWindow  = 10 * time.Second // the minimum latency is re-learned this often
	ticksKept  = 64               // progress ticks of history: 16 s at 250 ms
)

// depthMeter estimates one source's delivery rate and unloaded request
// latency. Guarded by the engine's mutex.
type depthMeter struct {
	bytes    int64 // delivered since the last tick
	lastTick time.Time
	ticks    [ticksKept]tickSample // ring, newest at i
	n, i     int
	minLat   time.Duration
	latFrom  time.Time
	nextMin  time.Duration
	firstAt  time.Time // first delivery: the rate means little before a window has passed
}

// tickSample is what one progress tick saw: bytes delivered over dt.
type tickSample struct {
	bytes int64
	dt    time.Duration
}

func (d *depthMeter) delivered(n int64, lat time.Duration, now time.Time) {
	if d.firstAt.IsZero() {
		d.firstAt = now
	}
	d.bytes += n
	if d.minLat == 0 || lat < d.minLat {
		d.minLat = lat
	}
	if d.nextMin == 0 || lat < d.nextMin {
		d.nextMin = lat
	}
	if now.Sub(d.latFrom) > latWindow {
		d.minLat, d.nextMin, d.latFrom = d.nextMin, 0, now
	}
}

// tick closes the interval since the last tick.
func (d *depthMeter) tick(now time.Time) {
	if !d.lastTick.IsZero() {
		if dt := now.Sub(d.lastTick); dt > 0 {
			d.i = (d.i + 1) % ticksKept
			d.n = min(d.n+1, ticksKept)
			d.ticks[d.i] = tickSample{bytes: d.bytes, dt: dt}
		}
	}
	d.bytes, d.lastTick = 0, now
}

// rate is the delivery rate in bytes/s averaged over the newest ticks that
// span rateWindow or two unloaded latencies, whichever is longer. On a long
// lossy path replies arrive in bursts, a round trip apart, as the transport
// repairs holes in order; a shorter average swung the depth between 4 and
// 26 on a 500 ms, 10 % path and starved the pipe at every low.
func (d *depthMeter) rate() float64 { return d.rateOver(d.window()) }

// rateOver is the delivery rate over the newest ticks spanning window.
func (d *depthMeter) rateOver(window time.Duration) float64 {
	var sum int64
	var span time.Duration
	for k := range d.n {
		s := d.ticks[(d.i-k+ticksKept)%ticksKept]
		sum += s.bytes
		span += s.dt
		if span >= window {
			break
		}
	}
	if span <= 0 {
		return 0
	}
	return float64(sum) / span.Seconds()
}

// window is the span the rate is averaged over.
func (d *depthMeter) window() time.Duration { return max(rateWindow, 2*d.minLat) }

// depth is the number of requests to keep in flight, at most limit:
// depthGain bandwidth-delay products plus depthSlack. The gain covers what
// the product misses: a reply that waits for the transport to repair a
// loss holds its request well beyond the unloaded latency, and the rate
// measured while the pipe is short of requests is itself too low.
//
// The depth rises with the rate over the last unloaded latency (at least
// fastWindow) when that is higher than the average: when the transport's
// startup ends, the average still covers the ramp, and at 500 ms and 10 %
// loss the seeder ran out of requests for a second right after it
// (SWARM_TRACE: unsent 0 with the link rate reached). It falls only with
// the average.
func (d *depthMeter) depth(chunk int64, limit int) int {
	r := max(d.rate(), d.rateOver(max(fastWindow, d.minLat)))
	if r == 0 || d.minLat == 0 {
		return startDepth(chunk, limit)
	}
	bdp := r * d.minLat.Seconds() / float64(chunk)
	n := int(math.Ceil(depthGain*bdp)) + depthSlack
	if d.lastTick.Sub(d.firstAt) < d.window() {
		// The average still covers the connection's setup and the
		// transport's startup: it would cut the pipe just as the rate
		// climbs.
		n = max(n, startDepth(chunk, limit))
	}
	return min(max(n, minDepth), limit)
}

// startDepth is the depth before any measurement: initialInFlight bytes of
// requests, at least initialDepth, at most maxStartDepth and limit.
func startDepth(chunk int64, limit int) int {
	return min(max(int(initialInFlight/max(chunk, 1)), initialDepth), maxStartDepth, limit)
}
