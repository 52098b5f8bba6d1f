package ratectl

import (
	"math"
	"time"
)

// cubicWindow is the compete mode's TCP-like window: the flow keeps a
// window in packets, grows it by ai packets per round (and, if c > 0, along
// the CUBIC curve of RFC 9438), shrinks it by beta on congestion loss, and
// paces at window/srtt. Following the competitor's own kind of rule is what
// makes the share fair. The policies use c = 0 (AIMD): in simulation the
// cubic curve took too much from Reno at larger BDPs without helping
// against CUBIC in deep buffers.
type cubicWindow struct {
	c      float64 // cubic constant, packets/s^3
	beta   float64
	ai     float64 // Reno-friendly growth, packets per round
	w      float64 // window, packets
	wmax   float64
	k      float64 // seconds from epoch to wmax
	wEst   float64 // Reno-friendly estimate
	epoch  time.Time
	growth float64 // most the window may grow in one round, as a factor
}

// reset starts a new epoch at now with window w (packets).
func (cw *cubicWindow) reset(now time.Time, w float64) {
	cw.w, cw.wmax, cw.wEst, cw.k, cw.epoch = w, w, w, 0, now
}

// round advances the window by one round ending at now.
func (cw *cubicWindow) round(now time.Time) {
	cw.wEst += cw.ai
	next := max(cw.wEst, cw.w)
	if cw.c > 0 {
		t := now.Sub(cw.epoch).Seconds()
		next = max(next, cw.wmax+cw.c*math.Pow(t-cw.k, 3))
	}
	cw.w = min(next, cw.w*cw.growth)
}

// cut shrinks the window after a congestion loss at now.
func (cw *cubicWindow) cut(now time.Time) {
	if cw.w < cw.wmax {
		cw.wmax = cw.w * (1 + cw.beta) / 2 // fast convergence
	} else {
		cw.wmax = cw.w
	}
	cw.w = max(cw.w*cw.beta, 2)
	cw.wEst = cw.w
	if cw.c > 0 {
		cw.k = math.Cbrt(cw.wmax * (1 - cw.beta) / cw.c)
	}
	cw.epoch = now
}

// rate converts the window to a pacing rate.
func (cw *cubicWindow) rate(mss int, srtt time.Duration) float64 {
	return cw.w * float64(mss) / max(srtt, time.Millisecond).Seconds()
}

// window converts a rate to a window in packets.
func windowOf(rate float64, mss int, srtt time.Duration) float64 {
	return rate * srtt.Seconds() / float64(mss)
}
