package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/swarm-project/swarm/bench/lab"
	"github.com/swarm-project/swarm/bench/linkem"
)

// linkFlags are the per-link flags; they apply to both directions unless a
// --down-/--up- variant is given.
type linkFlags struct {
	rate, rtt, delay, jitter, loss, burst   float64
	queueMs, queueKB, reorder, reorderMs    float64
	dup, downRate, upRate, downLoss, upLoss float64
	ge                                      string
	jitterReorders                          bool
}

func (f *linkFlags) register(fs *flag.FlagSet) {
	fs.Float64Var(&f.rate, "rate", 100, "bottleneck rate in Mbit/s each way (0: unlimited)")
	fs.Float64Var(&f.downRate, "down-rate", -1, "rate seeder→downloader in Mbit/s (default --rate)")
	fs.Float64Var(&f.upRate, "up-rate", -1, "rate downloader→seeder in Mbit/s (default --rate)")
	fs.Float64Var(&f.rtt, "rtt", 100, "round-trip propagation delay in ms, split evenly")
	fs.Float64Var(&f.delay, "delay", -1, "one-way delay in ms (overrides --rtt)")
	fs.Float64Var(&f.jitter, "jitter", 0, "uniform jitter ± ms per packet, order kept (unless --jitter-reorders)")
	fs.BoolVar(&f.jitterReorders, "jitter-reorders", false, "let jitter reorder packets, as netem's delay jitter does")
	fs.Float64Var(&f.loss, "loss", 0, "random loss in percent, each way")
	fs.Float64Var(&f.downLoss, "down-loss", -1, "loss seeder→downloader in percent (default --loss)")
	fs.Float64Var(&f.upLoss, "up-loss", -1, "loss downloader→seeder in percent (default --loss)")
	fs.Float64Var(&f.burst, "loss-burst", 0, "mean loss burst length in packets (>1: Gilbert model)")
	fs.StringVar(&f.ge, "ge", "", "explicit Gilbert-Elliott p,r,loss-good,loss-bad (probabilities 0..1)")
	fs.Float64Var(&f.queueMs, "queue-ms", 0, "drop-tail queue in ms at the rate (default one RTT)")
	fs.Float64Var(&f.queueKB, "queue-kb", 0, "drop-tail queue in KiB (overrides --queue-ms)")
	fs.Float64Var(&f.reorder, "reorder", 0, "percent of packets held back and overtaken")
	fs.Float64Var(&f.reorderMs, "reorder-ms", 0, "extra delay of reordered packets in ms (default 5)")
	fs.Float64Var(&f.dup, "duplicate", 0, "percent of packets delivered twice")
}

func ms(v float64) time.Duration { return time.Duration(v * float64(time.Millisecond)) }

func orDefault(v, def float64) float64 {
	if v < 0 {
		return def
	}
	return v
}

// spec builds the link from the flags.
func (f *linkFlags) spec() (lab.LinkSpec, error) {
	delay := ms(f.rtt / 2)
	if f.delay >= 0 {
		delay = ms(f.delay)
	}
	base := linkem.Config{
		Delay:          delay,
		Jitter:         ms(f.jitter),
		JitterReorders: f.jitterReorders,
		QueueDelay:     ms(f.queueMs),
		QueueBytes:     int64(f.queueKB * 1024),
		Reorder:        f.reorder / 100,
		ReorderDelay:   ms(f.reorderMs),
		Duplicate:      f.dup / 100,
	}
	if f.queueMs == 0 && f.queueKB == 0 {
		base.QueueDelay = 2 * delay
	}
	var ge *linkem.GEParams
	if f.ge != "" {
		g, err := parseGE(f.ge)
		if err != nil {
			return lab.LinkSpec{}, err
		}
		ge = g
	}
	dir := func(rate, loss float64) linkem.Config {
		c := base
		c.Rate = int64(orDefault(rate, f.rate) * 1e6)
		c.Loss = linkem.LossSpec{Prob: orDefault(loss, f.loss) / 100, MeanBurst: f.burst, GE: ge}
		return c
	}
	s := lab.LinkSpec{Down: dir(f.downRate, f.downLoss), Up: dir(f.upRate, f.upLoss)}
	if err := s.Down.Validate(); err != nil {
		return s, err
	}
	return s, s.Up.Validate()
}

func parseGE(s string) (*linkem.GEParams, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 4 {
		return nil, fmt.Errorf("%w: --ge wants p,r,loss-good,loss-bad", errUsage)
	}
	var v [4]float64
	for i, p := range parts {
		x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return nil, fmt.Errorf("%w: --ge: %v", errUsage, err)
		}
		v[i] = x
	}
	return &linkem.GEParams{P: v[0], R: v[1], LossGood: v[2], LossBad: v[3]}, nil
}
