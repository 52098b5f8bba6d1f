package ratectl

import "time"

// BaseRTTWindow is how long a minimum RTT sample stays the base RTT.
const BaseRTTWindow = 10 * time.Second

// rttStats tracks smoothed and windowed-minimum RTT.
type rttStats struct {
	srtt   time.Duration
	latest time.Time
	min    minFilter
	minAt  time.Time // time of the last sample, for base()
}

func newRTTStats() rttStats {
	return rttStats{srtt: DefaultInitialRTT, min: newMinFilter(BaseRTTWindow)}
}

func (r *rttStats) update(now time.Time, rtt time.Duration) {
	if rtt <= 0 {
		return
	}
	if r.latest.IsZero() {
		r.srtt = rtt
	} else {
		r.srtt += (rtt - r.srtt) / 8
	}
	r.latest = now
	r.min.Update(now, rtt)
	r.minAt = now
}

// base is the minimum RTT over the window ending at the last sample.
// rebase makes rtt the base RTT: the path's own delay grew (a route
// change, a busy middlebox), and the old minimum no longer describes it.
func (r *rttStats) rebase(now time.Time, rtt time.Duration) {
	r.min.Reset(now, rtt)
	r.minAt = now
}

func (r *rttStats) base() time.Duration {
	if b := r.min.Get(r.minAt); b > 0 {
		return b
	}
	return r.srtt
}

func (r *rttStats) queueDelay() time.Duration { return max(0, r.srtt-r.base()) }

// lossStats keeps an exponentially smoothed loss ratio by bytes.
type lossStats struct {
	ackedB, lostB int
	rate          float64
}

func (l *lossStats) acked(n int) { l.ackedB += n; l.roll() }
func (l *lossStats) lost(n int)  { l.lostB += n; l.roll() }

// roll folds the counters into the smoothed ratio every 64 KiB or so,
// weighting each fold 1/16: a memory of about 1 MiB.
func (l *lossStats) roll() {
	total := l.ackedB + l.lostB
	if total < 64<<10 {
		return
	}
	l.rate += (float64(l.lostB)/float64(total) - l.rate) / 16
	l.ackedB, l.lostB = 0, 0
}
