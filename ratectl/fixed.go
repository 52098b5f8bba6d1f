package ratectl

import "time"

// fixedCtl holds the target rate. It still tracks RTT so that its inflight
// limit lets the target rate through at the path's RTT.
type fixedCtl struct {
	cfg  Config
	rtt  rttStats
	loss lossStats
}

func newFixed(cfg Config) *fixedCtl {
	return &fixedCtl{cfg: cfg, rtt: newRTTStats()}
}

func (f *fixedCtl) OnAck(now time.Time, s AckSample) {
	f.rtt.update(now, s.RTT)
	f.loss.acked(s.AckedBytes)
}

func (f *fixedCtl) OnLoss(now time.Time, lostBytes int) { f.loss.lost(lostBytes) }

func (f *fixedCtl) Rate() float64 { return f.cfg.wire(f.cfg.TargetRate) }

func (f *fixedCtl) SetMSS(mss int) {
	if mss > 0 {
		f.cfg.MSS = mss
	}
}

func (f *fixedCtl) InflightLimit() int {
	return inflightFor(f.Rate(), f.rtt.srtt, f.cfg.MSS, 3)
}

func (f *fixedCtl) Snapshot() Snapshot {
	return Snapshot{
		Policy: Fixed, Mode: "fixed", Rate: f.Rate(),
		BaseRTT: f.rtt.base(), SRTT: f.rtt.srtt, QueueDelay: f.rtt.queueDelay(),
		Inflight: f.InflightLimit(), LossRate: f.loss.rate, MSS: f.cfg.MSS,
	}
}

// inflightFor returns gain times the bytes rate carries in one rtt, at
// least 16 packets.
func inflightFor(rate float64, rtt time.Duration, mss int, gain float64) int {
	b := gain * rate * rtt.Seconds()
	return int(max(b, float64(16*mss)))
}
