package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/swarm-project/swarm/bench/benchdoc"
	"github.com/swarm-project/swarm/bench/lab"
)

type options struct {
	profiles string
	repeat   int
	size     int64
	timebox  time.Duration
	tools    string
	results  string
	doc      string
	repo     string
	install  bool
	p4Rate   float64
	seed     uint64
	check    bool
	share    bool
	command  string
}

func parseFlags(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("wanbench", flag.ContinueOnError)
	fs.StringVar(&o.profiles, "profiles", "all", "profiles to run, e.g. P1,P2")
	fs.IntVar(&o.repeat, "repeat", 0, "runs per tool (default 3, 1 for P5)")
	sizeMB := fs.Int64("size-mb", 200, "file size in MB")
	fs.DurationVar(&o.timebox, "timebox", 60*time.Second, "time box of each transfer")
	fs.StringVar(&o.tools, "tools", "all", "tools: iperf3-cubic,iperf3-bbr,curl,aria2c-x16,swarm,swarm-quic")
	fs.StringVar(&o.results, "results", "bench/results", "directory for the JSON results")
	fs.StringVar(&o.doc, "doc", "docs/benchmarks.md", "document whose WAN section is regenerated (empty: none)")
	fs.StringVar(&o.repo, "repo", ".", "repository root, to build ./cmd/swarm")
	fs.BoolVar(&o.install, "install", true, "install missing tools with apt-get")
	fs.Float64Var(&o.p4Rate, "p4-rate", HighestAccurateRate, "bottleneck rate of P4 in Mbit/s")
	fs.Uint64Var(&o.seed, "seed", 1, "lab random seed")
	fs.BoolVar(&o.check, "check", false, "smoke test: fail unless every run moved the whole file in time (for CI)")
	fs.BoolVar(&o.share, "share", false, "run the sharing benchmark (swarm's policies next to one TCP flow) instead of the profiles")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	o.size = *sizeMB * 1_000_000
	o.command = strings.TrimSpace("go run ./bench/wanbench " + strings.Join(args, " "))
	return o, nil
}

func run(ctx context.Context, args []string) error {
	o, err := parseFlags(args)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := lab.Check(); err != nil {
		fmt.Fprintf(os.Stderr, "wanbench: skipped: %v (run as root on Linux with iproute2 and /dev/net/tun)\n", err)
		return nil
	}
	profs, err := selectProfiles(profiles(o.p4Rate), o.profiles)
	if err != nil {
		return err
	}
	missing := ensureTools(ctx, o.install, log)
	tools, skipped := selectTools(o.tools, missing)
	for _, s := range skipped {
		log.Warn("baseline skipped", "tool", s)
	}
	data, err := makeDataSet(o.size)
	if err != nil {
		return fmt.Errorf("data set: %w", err)
	}
	defer data.remove()
	sw := buildSwarm(ctx, o.repo, data.root)
	if o.share {
		return runShare(ctx, o, data, sw, log)
	}
	if sw.path == "" {
		log.Warn("swarm unavailable; reporting the baselines only", "reason", sw.reason)
	}
	var errs []error
	for _, p := range profs {
		log.Info("profile", "p", p.String())
		res, err := runProfile(ctx, o, p, tools, data, sw, log)
		if res != nil && o.check {
			errs = append(errs, checkComplete(res, o.size))
		}
		if res != nil && ctx.Err() != nil {
			// Interrupted: a half-finished run must not replace the last
			// complete result of this profile (and its baselines).
			log.Warn("interrupted; results not written", "profile", p.Name)
			break
		}
		if res != nil {
			res.SwarmStatus = swarmStatus(sw)
			res.summarise()
			if path, werr := res.write(o.results); werr != nil {
				errs = append(errs, werr)
			} else {
				log.Info("wrote", "file", path)
			}
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", p.Name, err))
			if ctx.Err() != nil {
				break
			}
		}
	}
	if o.doc != "" {
		errs = append(errs, regenerateDoc(o))
	}
	return errors.Join(errs...)
}

// checkComplete fails unless every run moved the whole file without error
// or time-out.
func checkComplete(r *ProfileResult, size int64) error {
	var errs []error
	for _, m := range r.Runs {
		if m.Error != "" || m.TimedOut || m.Bytes < size {
			errs = append(errs, fmt.Errorf("%s %s: %d of %d bytes, timed out %v, error %q",
				r.Profile.Name, m.Tool, m.Bytes, size, m.TimedOut, m.Error))
		}
	}
	return errors.Join(errs...)
}

func regenerateDoc(o options) error {
	results, err := latestResults(o.results)
	if err != nil || len(results) == 0 {
		return err
	}
	return benchdoc.UpdateSection(o.doc, docSection, renderSection(results))
}

func swarmStatus(sw *swarmBin) string {
	if sw.path != "" {
		return "built from ./cmd/swarm"
	}
	return "unavailable: " + sw.reason
}

// needs lists the commands each baseline runs.
var needs = map[string][]string{
	"iperf3-cubic": {"iperf3"}, "iperf3-bbr": {"iperf3"},
	"curl": {"curl", "nginx"}, "aria2c-x16": {"aria2c", "nginx"},
}

func allTools() []tool {
	return []tool{iperfTool("cubic"), iperfTool("bbr"), curlTool, aria2Tool, swarmTool(false), swarmTool(true)}
}

// selectTools returns the requested tools whose commands are present and
// the names of those skipped.
func selectTools(names string, missing map[string]bool) ([]tool, []string) {
	want := map[string]bool{}
	for _, n := range strings.Split(names, ",") {
		want[strings.TrimSpace(n)] = true
	}
	var out []tool
	var skipped []string
	for _, t := range allTools() {
		if !want["all"] && !want[t.name] {
			continue
		}
		lacking := false
		for _, c := range needs[t.name] {
			lacking = lacking || missing[c]
		}
		if lacking {
			skipped = append(skipped, t.name)
			continue
		}
		out = append(out, t)
	}
	return out, skipped
}
