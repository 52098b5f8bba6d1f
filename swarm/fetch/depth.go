package fetch

import (
	"math"
	"time"
)

// Pipelining depth per source: enough requests in flight to cover the
// source's bandwidth-delay product, no more (memory is depth × chunk size
// per source). It starts at initialDepth and follows the measurements.
const (
	initialDepth = 4
	minDepth     = 2
	depthSlack   = 2 // requests beyond the BDP, so the pipe never drains
	rateAlpha    = 0.3
	latWindow    = 10 * time.Second // the minimum latency is re-learned this often
)

// depthMeter estimates one source's delivery rate and unloaded request
// latency. Guarded by the engine's mutex.
type depthMeter struct {
	rate     float64 // bytes/s, EWMA over progress intervals
	bytes    int64   // delivered since the last tick
	minLat   time.Duration
	latFrom  time.Time
	nextMin  time.Duration
	lastTick time.Time
}

func (d *depthMeter) delivered(n int64, lat time.Duration, now time.Time) {
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

// tick folds the bytes since the last tick into the rate.
func (d *depthMeter) tick(now time.Time) {
	if !d.lastTick.IsZero() {
		if dt := now.Sub(d.lastTick).Seconds(); dt > 0 {
			d.rate = (1-rateAlpha)*d.rate + rateAlpha*float64(d.bytes)/dt
		}
	}
	d.bytes, d.lastTick = 0, now
}

// depth is the number of requests to keep in flight, at most limit.
func (d *depthMeter) depth(chunk int64, limit int) int {
	if d.rate == 0 || d.minLat == 0 {
		return min(initialDepth, limit)
	}
	bdp := d.rate * d.minLat.Seconds() / float64(chunk)
	n := int(math.Ceil(bdp)) + depthSlack
	return min(max(n, minDepth), limit)
}
