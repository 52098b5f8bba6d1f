package ratectl

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestJitterEstimate feeds the estimate RTT samples of known shape: a
// queue of the flow's own (back-to-back packets rising by a service time,
// spaced ones draining, a pause emptying it) must read as no jitter, and
// a path adding uniform ±J to each packet as about J.
func TestJitterEstimate(t *testing.T) {
	const base = 100 * time.Millisecond
	const mss = 1452
	const service = 120 * time.Microsecond // 1452 bytes at 100 Mbit/s
	const bw = mss / (float64(service) / float64(time.Second))
	t0 := time.Unix(1000, 0)
	feed := func(r *rttStats, sent time.Time, rtt time.Duration, acked int) {
		now := sent.Add(rtt)
		r.update(now, rtt)
		r.noiseSample(now, rtt, acked, bw, bw)
	}

	// A receiver acks every packet, or every sixth (as the session's
	// does): the bytes between two samples grow the queue by more than a
	// packet's service time.
	for _, every := range []int{1, 6} {
		own := newRTTStats()
		sent, q := t0, time.Duration(0)
		for i := range 20000 {
			switch {
			case i%2000 == 1999: // a pause: the queue empties
				sent, q = sent.Add(200*time.Millisecond), 0
			case i%64 < 32: // a burst: each packet waits behind the last
				sent, q = sent.Add(10*time.Microsecond), q+service-10*time.Microsecond
			default: // paced under the link rate: the queue drains
				sent, q = sent.Add(200*time.Microsecond), max(0, q-80*time.Microsecond)
			}
			if i%every == every-1 {
				feed(&own, sent, base+q, mss)
			} else {
				own.noiseSample(sent.Add(base+q), 0, mss, bw, bw) // acked without a sample
			}
		}
		if j := own.jitter(); j > 50*time.Microsecond {
			t.Errorf("a queue of the flow's own, sampled every %d packets, reads as %v of jitter, want about 0", every, j)
		}
	}

	rng := rand.New(rand.NewPCG(1, 2))
	for _, amp := range []time.Duration{2 * time.Millisecond, 10 * time.Millisecond} {
		r := newRTTStats()
		sent := t0
		for range 5000 {
			sent = sent.Add(time.Millisecond)
			j := time.Duration((2*rng.Float64() - 1) * float64(amp))
			feed(&r, sent, base+j, mss)
		}
		if j := r.jitter(); j < amp/2 || j > 2*amp {
			t.Errorf("independent ±%v per packet reads as %v of jitter, want within a factor 2", amp, j)
		}
		if !r.jitterKnown() {
			t.Errorf("±%v: estimate not settled after 5000 samples", amp)
		}
	}
}
