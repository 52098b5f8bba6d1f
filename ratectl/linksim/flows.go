package linksim

import (
	"math"
	"time"

	"github.com/swarm-project/swarm/ratectl"
)

// Overhead is the per-packet header bytes (IP, UDP and our own) added to
// each payload on the link.
const Overhead = 56

// RateFlow is an always-backlogged sender driven by a ratectl.Controller
// and paced by a ratectl.Pacer, like a session with unlimited data.
type RateFlow struct {
	Ctl      ratectl.Controller
	MSS      int
	pacer    *ratectl.Pacer
	sampler  ratectl.RateSampler
	inflight int
	states   []ratectl.SendState // outstanding packets, in send order
	Tracer   func(now time.Time, s ratectl.Snapshot)
}

// NewRateFlow returns a flow for ctl with payloads of mss bytes.
func NewRateFlow(ctl ratectl.Controller, mss int) *RateFlow {
	return &RateFlow{Ctl: ctl, MSS: mss, pacer: ratectl.NewPacer(ctl.Rate(), 0, mss)}
}

func (f *RateFlow) size() int { return f.MSS + Overhead }

// Next implements Sender.
func (f *RateFlow) Next(now time.Time) time.Time {
	if f.inflight+f.size() > f.Ctl.InflightLimit() {
		return time.Time{}
	}
	f.pacer.SetRate(now, f.Ctl.Rate())
	return f.pacer.NextSend(now, f.size())
}

// Send implements Sender.
func (f *RateFlow) Send(now time.Time, seq uint64) int {
	n := f.size()
	f.states = append(f.states, f.sampler.OnSend(now, f.inflight))
	f.pacer.OnSent(now, n)
	f.inflight += n
	return n
}

// OnAck implements Sender.
func (f *RateFlow) OnAck(now time.Time, p Packet, lost bool) {
	st := f.states[0]
	f.states = f.states[1:]
	f.inflight -= p.Size
	if lost {
		f.Ctl.OnLoss(now, p.Size)
		return
	}
	rate, appLimited := f.sampler.OnAck(now, st, p.Size)
	f.Ctl.OnAck(now, ratectl.AckSample{
		AckedBytes: p.Size, RTT: now.Sub(p.Sent), InFlight: f.inflight,
		DeliveryRate: rate, AppLimited: appLimited,
	})
	if f.Tracer != nil {
		f.Tracer(now, f.Ctl.Snapshot())
	}
}

// Reno is a window-based TCP Reno model: slow start, additive increase of
// one packet per round trip, halving once per loss event, ack-clocked and
// unpaced. Losses are learnt one round trip after sending (no timeouts).
type Reno struct {
	MSS      int
	cwnd     float64 // packets
	ssthresh float64
	inflight int // packets
	highSeq  uint64
	recover  uint64 // losses of packets up to this seq belong to the last event
}

// NewReno returns a Reno flow with an initial window of 10 packets.
func NewReno(mss int) *Reno {
	return &Reno{MSS: mss, cwnd: 10, ssthresh: math.Inf(1)}
}

// Next implements Sender.
func (r *Reno) Next(now time.Time) time.Time {
	if r.inflight < int(r.cwnd) {
		return now
	}
	return time.Time{}
}

// Send implements Sender.
func (r *Reno) Send(now time.Time, seq uint64) int {
	r.inflight++
	r.highSeq = seq
	return r.MSS + Overhead
}

// OnAck implements Sender.
func (r *Reno) OnAck(now time.Time, p Packet, lost bool) {
	r.inflight--
	if lost {
		if p.Seq > r.recover {
			r.cwnd = max(r.cwnd/2, 2)
			r.ssthresh = r.cwnd
			r.recover = r.highSeq
		}
		return
	}
	if r.cwnd < r.ssthresh {
		r.cwnd++
	} else {
		r.cwnd += 1 / r.cwnd
	}
}

// Cwnd returns the congestion window in packets.
func (r *Reno) Cwnd() float64 { return r.cwnd }

// Cubic is a window-based TCP CUBIC model (RFC 9438: C=0.4, beta=0.7,
// with the Reno-friendly region and fast convergence).
type Cubic struct {
	MSS      int
	cwnd     float64
	ssthresh float64
	wmax     float64
	k        float64
	origin   float64
	wEst     float64
	epoch    time.Time
	minRTT   time.Duration
	inflight int
	highSeq  uint64
	recover  uint64
}

const (
	cubicC    = 0.4
	cubicBeta = 0.7
)

// NewCubic returns a CUBIC flow with an initial window of 10 packets.
func NewCubic(mss int) *Cubic {
	return &Cubic{MSS: mss, cwnd: 10, ssthresh: math.Inf(1)}
}

// Next implements Sender.
func (c *Cubic) Next(now time.Time) time.Time {
	if c.inflight < int(c.cwnd) {
		return now
	}
	return time.Time{}
}

// Send implements Sender.
func (c *Cubic) Send(now time.Time, seq uint64) int {
	c.inflight++
	c.highSeq = seq
	return c.MSS + Overhead
}

// OnAck implements Sender.
func (c *Cubic) OnAck(now time.Time, p Packet, lost bool) {
	c.inflight--
	if rtt := now.Sub(p.Sent); !lost && (c.minRTT == 0 || rtt < c.minRTT) {
		c.minRTT = rtt
	}
	if lost {
		if p.Seq > c.recover {
			c.onLossEvent()
		}
		return
	}
	if c.cwnd < c.ssthresh {
		c.cwnd++
		return
	}
	c.avoid(now)
}

func (c *Cubic) onLossEvent() {
	if c.cwnd < c.wmax {
		c.wmax = c.cwnd * (1 + cubicBeta) / 2
	} else {
		c.wmax = c.cwnd
	}
	c.cwnd = max(c.cwnd*cubicBeta, 2)
	c.ssthresh = c.cwnd
	c.epoch = time.Time{}
	c.recover = c.highSeq
}

func (c *Cubic) avoid(now time.Time) {
	if c.epoch.IsZero() {
		c.epoch = now
		c.wEst = c.cwnd
		if c.cwnd < c.wmax {
			c.k = math.Cbrt((c.wmax - c.cwnd) / cubicC)
			c.origin = c.wmax
		} else {
			c.k, c.origin = 0, c.cwnd
		}
	}
	t := (now.Sub(c.epoch) + c.minRTT).Seconds()
	target := c.origin + cubicC*math.Pow(t-c.k, 3)
	if target > c.cwnd {
		c.cwnd += (target - c.cwnd) / c.cwnd
	} else {
		c.cwnd += 0.01 / c.cwnd
	}
	c.wEst += 3 * (1 - cubicBeta) / (1 + cubicBeta) / c.cwnd
	c.cwnd = max(c.cwnd, c.wEst)
}
