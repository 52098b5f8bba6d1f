package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/swarm-project/swarm/bench/benchdoc"
	"github.com/swarm-project/swarm/bench/lab"
)

// docSection is the id of this harness's section in docs/benchmarks.md.
const docSection = "multibench"

func run(ctx context.Context, args []string) error {
	o, err := parseFlags(args)
	if err != nil {
		return err
	}
	if o.renderOnly {
		return regenerateDoc(o)
	}
	sel, err := selectScenarios(o.scenarios)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if o.traceDir != "" {
		if o.traceDir, err = filepath.Abs(o.traceDir); err == nil {
			err = os.MkdirAll(o.traceDir, 0o755)
		}
		if err != nil {
			return err
		}
	}
	scratch, err := os.MkdirTemp(scratchBase(), "multibench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(scratch)
	sw, err := buildSwarm(ctx, o.repo, scratch)
	if err != nil {
		return err
	}
	h := &harness{o: o, sw: sw, scratch: scratch, log: log}
	var errs []error
	for _, g := range groupScenarios(sel) {
		errs = append(errs, h.runGroup(ctx, g))
		if ctx.Err() != nil {
			break
		}
	}
	if o.doc != "" {
		errs = append(errs, regenerateDoc(o))
	}
	return errors.Join(errs...)
}

// harness holds what every group shares.
type harness struct {
	o       options
	sw      swarmCLI
	scratch string
	data    *dataSet // the lab data set, made on first use
	log     *slog.Logger
}

// scratchBase is /dev/shm when there is one, so that disks take no part
// in the lab transfers.
func scratchBase() string {
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		return "/dev/shm"
	}
	return os.TempDir()
}

// groupScenarios groups scenarios that share a lab, in order of first
// appearance; each loopback scenario is a group of its own.
func groupScenarios(sel []scenario) [][]scenario {
	var out [][]scenario
	at := map[string]int{}
	for _, s := range sel {
		if i, ok := at[s.Group]; ok && s.Group != "" {
			out[i] = append(out[i], s)
			continue
		}
		at[s.Group] = len(out)
		out = append(out, []scenario{s})
	}
	return out
}

func (h *harness) runGroup(ctx context.Context, g []scenario) error {
	if g[0].Group == "" {
		res, err := runMemory(ctx, h.o, g[0], h.sw, h.log)
		return errors.Join(err, h.save(res))
	}
	if err := lab.Check(); err != nil {
		h.log.Warn("lab scenarios skipped: run as root on Linux with iproute2 and /dev/net/tun", "err", err)
		return nil
	}
	if g = h.runnable(g); len(g) == 0 {
		return nil
	}
	if h.data == nil {
		d, err := makeDataSet(h.scratch, h.o.size)
		if err != nil {
			return fmt.Errorf("data set: %w", err)
		}
		h.data = d
	}
	results, err := h.runLab(ctx, g)
	for _, r := range results {
		err = errors.Join(err, h.save(r))
	}
	return err
}

// runnable leaves out, with a warning, the scenarios whose Needs fail.
func (h *harness) runnable(g []scenario) []scenario {
	var out []scenario
	for _, s := range g {
		if s.Needs != nil {
			if err := s.Needs(h.o); err != nil {
				h.log.Warn("scenario skipped", "scenario", s.Name, "why", err)
				continue
			}
		}
		out = append(out, s)
	}
	return out
}

func (h *harness) save(r *ScenarioResult) error {
	if r == nil || len(r.Runs) == 0 {
		return nil
	}
	p, err := r.write(h.o.results)
	if err == nil {
		h.log.Info("wrote", "file", p, "scenario", r.Scenario, "verdict", r.Verdict)
	}
	return err
}

// runLab brings up the group's lab, adds the data set on every seeder and
// runs the group's scenarios.
func (h *harness) runLab(ctx context.Context, g []scenario) ([]*ScenarioResult, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cfg := lab.Config{Seed: h.o.seed, Logger: h.log}
	for _, p := range g[0].Links {
		cfg.Seeders = append(cfg.Seeders, lab.Symmetric(p.Link()))
	}
	l, err := lab.Up(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer l.Close()
	e := &labEnv{o: h.o, lab: l, sw: h.sw, data: h.data, work: filepath.Join(h.scratch, g[0].Group), self: self, log: h.log}
	defer os.RemoveAll(e.work)
	if err := e.seedAll(ctx); err != nil {
		return nil, err
	}
	var out []*ScenarioResult
	for _, s := range g {
		out = append(out, e.runScenario(ctx, s))
		if ctx.Err() != nil {
			return out, ctx.Err()
		}
	}
	return out, nil
}

// runScenario runs every case its number of times, interleaved so that
// drift in the machine's load affects the cases alike.
func (e *labEnv) runScenario(ctx context.Context, s scenario) *ScenarioResult {
	res := newResult(s, e.o, e.data.size)
	rounds := 0
	for _, c := range s.Cases {
		rounds = max(rounds, e.o.runsOf(s, c))
	}
	for i := range rounds {
		for _, c := range s.Cases {
			if i < e.o.runsOf(s, c) && ctx.Err() == nil {
				res.add(s, e.runOne(ctx, s, c, i+1))
			}
		}
	}
	return res
}

func (e *labEnv) runOne(ctx context.Context, s scenario, c caseSpec, n int) Run {
	e.log.Info("starting", "scenario", s.Name, "case", c.Name, "run", n)
	r := Run{Case: c.Name}
	if err := c.run(ctx, e, &r); err != nil && r.Error == "" {
		r.Error = err.Error()
	}
	r.finish(s.CapacityMbit, e.data.size)
	e.log.Info("run", "scenario", s.Name, "case", c.Name, "goodput_mbps", fmt.Sprintf("%.1f", r.GoodputMbps),
		"pct", fmt.Sprintf("%.1f", r.PctOfCapacity), "complete", r.Complete, "sources", r.Sources,
		"dropped", r.Dropped, "event", r.Event, "failed", r.Failed, "err", r.Error)
	return r
}

func newResult(s scenario, o options, size int64) *ScenarioResult {
	return &ScenarioResult{Scenario: s.Name, Title: s.Title, Setup: s.Setup, CapacityMbit: s.CapacityMbit,
		SizeBytes: size, Date: time.Now().UTC(), Machine: thisMachine(), Command: o.command, Links: s.linkInfo()}
}

// add records a run and recomputes the summaries and the verdict.
func (r *ScenarioResult) add(s scenario, run Run) {
	r.Runs = append(r.Runs, run)
	r.Summary = nil
	names := map[string]bool{}
	cases := s.Cases
	if len(cases) == 0 { // the memory scenario names its case from the flags
		cases = []caseSpec{{Name: run.Case}}
	}
	for _, c := range cases {
		var runs []Run
		for _, x := range r.Runs {
			if x.Case == c.Name {
				runs = append(runs, x)
			}
		}
		if len(runs) > 0 && !names[c.Name] {
			names[c.Name] = true
			r.Summary = append(r.Summary, summarise(c.Name, c.Baseline, runs))
		}
	}
	r.judge(s.Target)
}

func regenerateDoc(o options) error {
	results, err := latestResults(o.results, scenarioNames())
	if err != nil || len(results) == 0 {
		return err
	}
	return benchdoc.UpdateSection(o.doc, docSection, renderSection(results))
}
