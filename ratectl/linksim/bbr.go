package linksim

import (
	"time"

	"github.com/swarm-project/swarm/ratectl"
)

// BBR is a model of TCP BBR v1 as Linux runs it by default here: startup
// at a gain of 2.89 until the delivery rate stops growing by a quarter for
// three rounds, a drain, then ProbeBW's eight-phase gain cycle (1.25, 0.75,
// then six rounds at 1) over the largest delivery rate of the last ten
// rounds, a congestion window of twice the estimated BDP, and ProbeRTT
// (four packets for 200 ms) when the minimum RTT is ten seconds old. It
// ignores loss, as BBR v1 does; packets are paced.
type BBR struct {
	MSS      int
	pacer    *ratectl.Pacer
	sampler  ratectl.RateSampler
	states   []ratectl.SendState
	inflight int // bytes

	bw         [bbrBWRounds]float64 // per-round max delivery rate
	bwIdx      int
	roundStart time.Time
	roundMax   float64
	minRTT     time.Duration
	minRTTAt   time.Time
	state      int
	fullBW     float64
	fullStale  int
	phase      int
	probeRTTTo time.Time
}

const (
	bbrStartup = iota
	bbrDrain
	bbrProbeBW
	bbrProbeRTT

	bbrBWRounds    = 10
	bbrHighGain    = 2.885
	bbrCwndGain    = 2
	bbrMinRTTAge   = 10 * time.Second
	bbrProbeRTTFor = 200 * time.Millisecond
)

var bbrCycle = [...]float64{1.25, 0.75, 1, 1, 1, 1, 1, 1}

// NewBBR returns a BBR flow with payloads of mss bytes.
func NewBBR(mss int) *BBR {
	return &BBR{MSS: mss, pacer: ratectl.NewPacer(float64(10*(mss+Overhead)), time.Millisecond, mss+Overhead)}
}

func (b *BBR) size() int { return b.MSS + Overhead }

func (b *BBR) btlBW() float64 {
	m := 0.0
	for _, v := range b.bw {
		m = max(m, v)
	}
	return m
}

func (b *BBR) gain() float64 {
	switch b.state {
	case bbrStartup:
		return bbrHighGain
	case bbrDrain:
		return 1 / bbrHighGain
	case bbrProbeBW:
		return bbrCycle[b.phase]
	}
	return 1
}

func (b *BBR) cwnd() int {
	if b.state == bbrProbeRTT {
		return 4 * b.size()
	}
	bw := b.btlBW()
	if bw == 0 || b.minRTT == 0 {
		return 10 * b.size()
	}
	g := float64(bbrCwndGain)
	if b.state == bbrStartup {
		g = bbrHighGain
	}
	return max(int(g*bw*b.minRTT.Seconds()), 4*b.size())
}

// Next implements Sender.
func (b *BBR) Next(now time.Time) time.Time {
	if b.inflight+b.size() > b.cwnd() {
		return time.Time{}
	}
	if bw := b.btlBW(); bw > 0 {
		b.pacer.SetRate(now, b.gain()*bw)
	}
	return b.pacer.NextSend(now, b.size())
}

// Send implements Sender.
func (b *BBR) Send(now time.Time, seq uint64) int {
	n := b.size()
	b.states = append(b.states, b.sampler.OnSend(now, b.inflight))
	b.pacer.OnSent(now, n)
	b.inflight += n
	return n
}

// OnAck implements Sender.
func (b *BBR) OnAck(now time.Time, p Packet, lost bool) {
	st := b.states[0]
	b.states = b.states[1:]
	b.inflight -= p.Size
	if lost {
		return
	}
	rate, _ := b.sampler.OnAck(now, st, p.Size)
	b.roundMax = max(b.roundMax, rate)
	rtt := now.Sub(p.Sent)
	if b.minRTT == 0 || rtt <= b.minRTT || now.Sub(b.minRTTAt) > bbrMinRTTAge {
		if b.state != bbrProbeRTT && b.minRTT != 0 && now.Sub(b.minRTTAt) > bbrMinRTTAge {
			b.state, b.probeRTTTo = bbrProbeRTT, now.Add(bbrProbeRTTFor)
		}
		b.minRTT, b.minRTTAt = rtt, now
	}
	if b.roundStart.IsZero() {
		b.roundStart = now
	}
	if now.Sub(b.roundStart) >= max(b.minRTT, time.Millisecond) {
		b.endRound(now)
	}
	if b.state == bbrDrain && float64(b.inflight) <= b.btlBW()*b.minRTT.Seconds() {
		b.state, b.phase = bbrProbeBW, 2
	}
	if b.state == bbrProbeRTT && now.After(b.probeRTTTo) {
		b.state, b.phase = bbrProbeBW, 2
	}
}

func (b *BBR) endRound(now time.Time) {
	b.roundStart = now
	b.bwIdx = (b.bwIdx + 1) % bbrBWRounds
	b.bw[b.bwIdx] = b.roundMax
	b.roundMax = 0
	switch b.state {
	case bbrStartup:
		if bw := b.btlBW(); bw >= b.fullBW*1.25 {
			b.fullBW, b.fullStale = bw, 0
		} else if b.fullStale++; b.fullStale >= 3 {
			b.state = bbrDrain
		}
	case bbrProbeBW:
		b.phase = (b.phase + 1) % len(bbrCycle)
	}
}
