package ratectl

import "time"

// params tunes the adaptive controller for one policy.
type params struct {
	target    time.Duration // queueing delay the controller aims for
	gainUp    float64       // multiplicative increase per round with an empty queue
	compete   bool          // may turn loss-based when another flow holds the queue
	aiPackets float64       // additive increase per round when competing, in packets
	beta      float64       // multiplicative decrease on congestion loss when competing
	lossYield bool          // loss while a queue is present means back off (low)
	heavyLoss float64       // loss ratio per round that counts as congestion
}

// Tuning constants shared by the adaptive policies.
const (
	// competeRounds is how many consecutive rounds the queue must stay over
	// the target before a fair or high flow decides another flow holds
	// it and turns loss-based.
	competeRounds = 8
	// releaseRounds is how many consecutive rounds under the target end
	// the competing mode.
	releaseRounds = 8
	// competeMemory is how long the rate of a left compete mode is kept
	// for a quick return.
	competeMemory = 30 * time.Second
	// probeBaseAfter is how long without a round near the base RTT before
	// the controller drains its queue to refresh the base RTT estimate.
	probeBaseAfter = 5 * time.Second
	// drainGain is the pacing gain of a base-RTT probe round.
	drainGain = 0.75
	// heavyLossPackets is the fewest packets a round must count before
	// its loss ratio can be judged heavy (see heavyLoss).
	heavyLossPackets = 16
	// startupGain is the per-round growth before the first queue shows.
	startupGain = 2.885
	// bwRounds is how many rounds the bandwidth max-filter spans.
	bwRounds = 4
	// maxProbeMult caps the growth of consecutive successful probes.
	maxProbeMult = 16
	// startupExitSamples is how many consecutive RTT samples a target over
	// the base end startup at once.
	startupExitSamples = 8
	// competeLossFloor is the smoothed loss ratio under which the compete
	// mode does not back off: a loss-blind competitor (BBR) keeps the
	// buffer overflowing at a low, steady rate, and Reno's answer to that
	// rate starves the flow; a loss-based competitor's overflows come in
	// bursts well above it.
	competeLossFloor = 0.005
	// startupDrainGain paces the drain of the queue startup overshot.
	startupDrainGain = 0.5
	// cubicC and cubicBeta are CUBIC's constants (RFC 9438), for the
	// compete mode's growth (see competeStep).
	cubicC    = 0.4
	cubicBeta = 0.7
	// shallowFloor is the least queueing delay aimed for on a buffer
	// shallower than the target (see adaptive.target).
	shallowFloor = 2 * time.Millisecond
	// shallowQuiet is how long without overflow losses ends the
	// shallow-buffer target. A TCP flow sharing a shallow buffer overflows
	// it once per sawtooth, seconds apart.
	shallowQuiet = 30 * time.Second
	// jitterMult scales the path's jitter estimate into the delay the
	// queue estimate leaves out (see adaptive.floor).
	jitterMult = 4
)

func paramsFor(cfg Config) params {
	var p params
	switch cfg.Policy {
	case High:
		p = params{target: 20 * time.Millisecond, gainUp: 0.5, compete: true,
			aiPackets: 1.5, beta: 0.8, heavyLoss: 0.35}
	case Low:
		p = params{target: 5 * time.Millisecond, gainUp: 0.125,
			lossYield: true, beta: 0.5, heavyLoss: 0.15}
	default: // Fair
		p = params{target: 10 * time.Millisecond, gainUp: 0.25, compete: true,
			aiPackets: 1, beta: 0.7, heavyLoss: 0.25}
	}
	if cfg.QueueDelay > 0 {
		p.target = cfg.QueueDelay
	}
	return p
}
