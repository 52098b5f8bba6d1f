package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/swarm-project/swarm/bench/lab"
)

// env is what every tool run gets.
type env struct {
	lab     *lab.Lab
	profile Profile
	data    *dataSet
	timebox time.Duration
	swarm   *swarmBin
	log     *slog.Logger
	work    string // scratch directory for this profile
}

// tool runs one transfer of the data set over the lab and measures it.
// It returns the measurement and the retransmitted bytes (-1: unknown).
type tool struct {
	name string
	run  func(ctx context.Context, e *env) (Measurement, int64, error)
}

// runTool runs one tool once, with the time box, and fills the figures.
func runTool(ctx context.Context, e *env, t tool) Measurement {
	seeder := e.lab.Seeders[0]
	wire0 := linkBytes(e.lab, 0)
	rs0 := tcpRetransSegs(ctx, e.lab, seeder)
	m, retrans, err := t.run(ctx, e)
	m.Tool = t.name
	if err != nil {
		m.Error = err.Error()
	}
	if retrans == retransFromNetns {
		retrans = (tcpRetransSegs(ctx, e.lab, seeder) - rs0) * tcpMSS
	}
	m.RetransPct = -1
	m.finish(e.profile.RateMbit, linkBytes(e.lab, 0)-wire0, retrans)
	e.log.Info("run", "profile", e.profile.Name, "tool", t.name, "goodput_mbps", fmt.Sprintf("%.2f", m.GoodputMbps),
		"seconds", fmt.Sprintf("%.1f", m.Seconds), "timed_out", m.TimedOut, "err", m.Error)
	return m
}

// retransFromNetns asks runTool to count TCP retransmissions in the
// seeder's namespace.
const retransFromNetns = -2

// runProfile brings up the profile's lab and runs every tool repeat times,
// interleaved so that drift affects all tools alike.
func runProfile(ctx context.Context, o options, p Profile, tools []tool, d *dataSet, sw *swarmBin, log *slog.Logger) (*ProfileResult, error) {
	l, err := lab.Up(ctx, lab.Config{Seeders: []lab.LinkSpec{lab.Symmetric(p.Path().Link())}, Seed: o.seed, Logger: log})
	if err != nil {
		return nil, err
	}
	defer l.Close()
	e := &env{lab: l, profile: p, data: d, timebox: o.timebox, swarm: sw, log: log}
	if e.work, err = d.scratch(p.Name); err != nil {
		return nil, err
	}
	repeat := o.repeat
	if repeat == 0 {
		repeat = p.Repeat
	}
	res := newProfileResult(p, o, repeat)
	for r := range repeat {
		for _, t := range tools {
			if ctx.Err() != nil {
				return res, ctx.Err()
			}
			log.Info("starting", "profile", p.Name, "tool", t.name, "run", r+1, "of", repeat)
			res.add(runTool(ctx, e, t))
		}
	}
	res.LinkStats = l.Stats()
	return res, nil
}
