package ratectl

import "time"

// BaseRTTWindow is how long a minimum RTT sample stays the base RTT.
const BaseRTTWindow = 10 * time.Second

// jitterWindow is how long the largest delay noise is remembered.
const jitterWindow = 30 * time.Second

// jitterSettled is how many samples the jitter estimate needs before it
// is trusted.
const jitterSettled = 16

// rttStats tracks smoothed and windowed-minimum RTT, and the path's delay
// noise (jitter).
type rttStats struct {
	srtt   time.Duration
	latest time.Time
	min    minFilter
	minAt  time.Time // time of the last sample, for base()
	prev   time.Duration
	prevAt time.Time
	dev    time.Duration // smoothed unexplained difference of consecutive samples
	noise  minFilter     // max of dev over jitterWindow, stored negated
	devN   int           // differences taken, up to jitterSettled
	since  int           // bytes acknowledged since the last sample
}

func newRTTStats() rttStats {
	return rttStats{srtt: DefaultInitialRTT, min: newMinFilter(BaseRTTWindow), noise: newMinFilter(jitterWindow)}
}

// jitter is the largest, over jitterWindow, of the smoothed change
// between consecutive RTT samples that no queue of ours explains (see
// noiseSample): about the jitter amplitude on a jittery path (radio, a
// busy middlebox), near zero on a quiet one.
func (r *rttStats) jitter() time.Duration { return -r.noise.Get(r.minAt) }

// jitterKnown reports whether the jitter estimate has settled.
func (r *rttStats) jitterKnown() bool { return r.devN >= jitterSettled }

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

// noiseSample feeds the jitter estimate with an ack taken at now: rtt is
// its RTT sample (0 if none), acked the bytes it acknowledged; bw is the
// bandwidth measured and rate the sending rate, in bytes per second.
//
// Between the packets of two consecutive samples, sent gap apart, a queue
// of ours grows by at most the service time of the bytes sent between
// them less the gap, and shrinks by at most the gap (a queue drains no
// faster than time passes): what the RTT moves beyond that is the path's
// jitter. The bytes sent between them are at least those acknowledged
// since the last sample (a receiver acks every few packets, and they often
// go back to back) and at most the rate times the gap (more than were
// acknowledged when the queue overflowed and dropped some). A FIFO path
// with jitter keeps order, so a packet may wait behind an unlucky one and
// its delay then falls by exactly the gap: the jumps up carry the jitter.
func (r *rttStats) noiseSample(now time.Time, rtt time.Duration, acked int, bw, rate float64) {
	r.since += acked
	if rtt <= 0 {
		return
	}
	since := float64(r.since)
	r.since = 0
	if r.prev > 0 && bw > 0 {
		gap := now.Add(-rtt).Sub(r.prevAt.Add(-r.prev)).Abs()
		sent := max(since, rate*gap.Seconds())
		grow := time.Duration(sent/bw*float64(time.Second)) - gap
		var d time.Duration
		if up := rtt - r.prev; up >= 0 {
			d = max(0, up-max(0, grow))
		} else {
			d = max(0, -up-gap)
		}
		r.dev += (d - r.dev) / 16
		r.noise.Update(now, -r.dev)
		r.devN = min(r.devN+1, jitterSettled)
	}
	r.prev, r.prevAt = rtt, now
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
