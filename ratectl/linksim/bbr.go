package linksim

import (
	"time"

	"github.com/swarm-project/swarm/ratectl"
)

// bbr is a model of TCP BBR v1 as Linux runs it by default here: startup
// at a gain of 2.89 until the delivery rate stops growing by a quarter for
// three rounds, a drain, then ProbeBW's eight-phase gain cycle (1.25, 0.75,
// then six rounds at 1) over the largest delivery rate of the last ten
// rounds, a congestion window of twice the estimated BDP, and ProbeRTT
// (four packets for 200 ms) when the minimum RTT is ten seconds old. It
// ignores loss, as BBR v1 does. It is a ratectl.Controller, so that a
// RateFlow sends for it.
type bbr struct {
	size int // bytes per packet on the link

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

var (
	bbrCycle = [...]float64{1.25, 0.75, 1, 1, 1, 1, 1, 1}
	bbrModes = [...]string{"startup", "drain", "probe_bw", "probe_rtt"}
)

// NewBBR returns a BBR flow with payloads of mss bytes, paced with a 1 ms
// burst as Linux paces it.
func NewBBR(mss int) *RateFlow {
	b := &bbr{size: mss + Overhead}
	return &RateFlow{Ctl: b, MSS: mss, pacer: ratectl.NewPacer(b.Rate(), time.Millisecond, b.size)}
}

func (b *bbr) btlBW() float64 {
	m := 0.0
	for _, v := range b.bw {
		m = max(m, v)
	}
	return m
}

func (b *bbr) gain() float64 {
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

// Rate implements ratectl.Controller: the gain times the bottleneck
// estimate, ten packets a second before the first estimate.
func (b *bbr) Rate() float64 {
	if bw := b.btlBW(); bw > 0 {
		return b.gain() * bw
	}
	return float64(10 * b.size)
}

// InflightLimit implements ratectl.Controller: the congestion window.
func (b *bbr) InflightLimit() int {
	if b.state == bbrProbeRTT {
		return 4 * b.size
	}
	bw := b.btlBW()
	if bw == 0 || b.minRTT == 0 {
		return 10 * b.size
	}
	g := float64(bbrCwndGain)
	if b.state == bbrStartup {
		g = bbrHighGain
	}
	return max(int(g*bw*b.minRTT.Seconds()), 4*b.size)
}

// SetMSS implements ratectl.Controller; the model's packets keep their size.
func (b *bbr) SetMSS(int) {}

// OnLoss implements ratectl.Controller: BBR v1 ignores loss.
func (b *bbr) OnLoss(time.Time, int) {}

// Snapshot implements ratectl.Controller.
func (b *bbr) Snapshot() ratectl.Snapshot {
	return ratectl.Snapshot{Mode: bbrModes[b.state], Rate: b.Rate(), BaseRTT: b.minRTT, Inflight: b.InflightLimit()}
}

// OnAck implements ratectl.Controller.
func (b *bbr) OnAck(now time.Time, s ratectl.AckSample) {
	b.roundMax = max(b.roundMax, s.DeliveryRate)
	if b.minRTT == 0 || s.RTT <= b.minRTT || now.Sub(b.minRTTAt) > bbrMinRTTAge {
		if b.state != bbrProbeRTT && b.minRTT != 0 && now.Sub(b.minRTTAt) > bbrMinRTTAge {
			b.state, b.probeRTTTo = bbrProbeRTT, now.Add(bbrProbeRTTFor)
		}
		b.minRTT, b.minRTTAt = s.RTT, now
	}
	if b.roundStart.IsZero() {
		b.roundStart = now
	}
	if now.Sub(b.roundStart) >= max(b.minRTT, time.Millisecond) {
		b.endRound(now)
	}
	if b.state == bbrDrain && float64(s.InFlight) <= b.btlBW()*b.minRTT.Seconds() {
		b.state, b.phase = bbrProbeBW, 2
	}
	if b.state == bbrProbeRTT && now.After(b.probeRTTTo) {
		b.state, b.phase = bbrProbeBW, 2
	}
}

func (b *bbr) endRound(now time.Time) {
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
