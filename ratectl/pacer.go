package ratectl

import "time"

// DefaultBurst is the pacer's default burst allowance: the sender may catch
// up this much time's worth of bytes after a late wake-up.
const DefaultBurst = 20 * time.Millisecond

// Pacer is a token bucket: tokens accrue at the pacing rate up to a burst
// allowance, and a packet may go when the bucket holds its size. Time is
// passed in. The zero value is not usable; use NewPacer.
type Pacer struct {
	burst  time.Duration
	minBkt int // bucket floor in bytes, so that a burst holds two packets
	rate   float64
	tokens float64
	last   time.Time
}

// NewPacer returns a full pacer at rate bytes/s. burst is the allowance
// (DefaultBurst if 0); the bucket always holds at least two packets of
// mss bytes.
func NewPacer(rate float64, burst time.Duration, mss int) *Pacer {
	if burst <= 0 {
		burst = DefaultBurst
	}
	p := &Pacer{burst: burst, minBkt: 2 * mss, rate: rate}
	p.tokens = p.capacity()
	return p
}

func (p *Pacer) capacity() float64 {
	return max(p.rate*p.burst.Seconds(), float64(p.minBkt))
}

func (p *Pacer) refill(now time.Time) {
	if p.last.IsZero() {
		p.last = now
	}
	if dt := now.Sub(p.last); dt > 0 {
		p.tokens = min(p.capacity(), p.tokens+p.rate*dt.Seconds())
		p.last = now
	}
}

// SetRate changes the rate from now on.
func (p *Pacer) SetRate(now time.Time, rate float64) {
	p.refill(now)
	p.rate = rate
	p.tokens = min(p.tokens, p.capacity())
}

// Rate returns the pacing rate in bytes/s.
func (p *Pacer) Rate() float64 { return p.rate }

// NextSend returns when a packet of size bytes may be sent: now if the
// bucket holds enough, else the time it will.
func (p *Pacer) NextSend(now time.Time, size int) time.Time {
	p.refill(now)
	need := float64(size) - p.tokens
	if need <= 0 {
		return now
	}
	if p.rate <= 0 {
		return now.Add(time.Hour)
	}
	return now.Add(time.Duration(need / p.rate * float64(time.Second)))
}

// OnSent takes size bytes from the bucket. The bucket may go negative
// when a caller sends without waiting; the debt is paid off first.
func (p *Pacer) OnSent(now time.Time, size int) {
	p.refill(now)
	p.tokens -= float64(size)
}
