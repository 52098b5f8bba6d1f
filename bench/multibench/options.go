package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

type options struct {
	scenarios      string
	size           int64
	repeat         int // runs of each main case; 0: the scenario's default
	baselineRepeat int
	timebox        time.Duration
	killAt         float64
	seed           uint64
	sizeGB         float64
	sources        int
	dir            string
	memTimebox     time.Duration
	results        string
	doc            string
	repo           string
	traceDir       string
	renderOnly     bool
	kuboBin        string
	command        string
}

// defaultRepeat is the number of runs of a main case whose scenario does
// not set its own.
const defaultRepeat = 3

func parseFlags(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("multibench", flag.ContinueOnError)
	fs.StringVar(&o.scenarios, "scenarios", "all", "scenarios to run: "+strings.Join(scenarioNames(), ",")+" or all")
	sizeMB := fs.Int64("size-mb", 200, "file size in MB of the lab scenarios")
	fs.IntVar(&o.repeat, "repeat", 0, fmt.Sprintf("runs of each main case (default %d; 1 for kill and liar)", defaultRepeat))
	fs.IntVar(&o.baselineRepeat, "baseline-repeat", 1, "runs of each baseline case")
	fs.DurationVar(&o.timebox, "timebox", 90*time.Second, "time box of each lab transfer")
	fs.Float64Var(&o.killAt, "kill-at", 0.3, "kill: fraction of the file received when s1's daemon is killed")
	fs.Uint64Var(&o.seed, "seed", 1, "lab random seed")
	fs.Float64Var(&o.sizeGB, "size-gb", 10, "memory: file size in GB")
	fs.IntVar(&o.sources, "sources", 8, "memory: number of sources")
	fs.StringVar(&o.dir, "dir", os.TempDir(), "memory: directory for the file, the repositories and the download")
	fs.DurationVar(&o.memTimebox, "mem-timebox", 15*time.Minute, "memory: time box of the download")
	fs.StringVar(&o.results, "results", "bench/results", "directory for the JSON results")
	fs.StringVar(&o.doc, "doc", "docs/benchmarks.md", "document whose multibench section is regenerated (empty: none)")
	fs.StringVar(&o.traceDir, "trace-dir", "", "lab: seeders' daemons write their rate-control trace (SWARM_TRACE) here, one file per daemon and download")
	fs.BoolVar(&o.renderOnly, "render-only", false, "only regenerate the doc section from the newest results")
	fs.StringVar(&o.repo, "repo", ".", "repository root, to build ./cmd/swarm")
	fs.StringVar(&o.kuboBin, "kubo", "bin/kubo-"+kuboVersion+"/ipfs", "kubo: the ipfs binary of Kubo "+kuboVersion+" (make kubo builds it)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if o.killAt <= 0 || o.killAt >= 1 || o.sources < 1 || o.sizeGB <= 0 || *sizeMB <= 0 {
		return o, fmt.Errorf("need 0 < --kill-at < 1, --sources >= 1, positive sizes")
	}
	o.size = *sizeMB * 1_000_000
	o.command = commandLine(args)
	return o, nil
}

// kubo is the Kubo CLI of --kubo, by absolute path (it also runs in the
// lab's namespaces).
func (o options) kubo() kuboCLI {
	if abs, err := filepath.Abs(o.kuboBin); err == nil {
		return kuboCLI{bin: abs}
	}
	return kuboCLI{bin: o.kuboBin}
}

// runsOf is how many times a case runs in scenario s.
func (o options) runsOf(s scenario, c caseSpec) int {
	switch {
	case c.Baseline:
		return o.baselineRepeat
	case o.repeat > 0:
		return o.repeat
	case s.Repeat > 0:
		return s.Repeat
	}
	return defaultRepeat
}

// commandLine is the command that reproduces this run, arguments quoted
// for a shell where needed.
func commandLine(args []string) string {
	parts := []string{"go", "run", "./bench/multibench"}
	for _, a := range args {
		if a == "" || strings.ContainsAny(a, " \t'\"$`\\") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		parts = append(parts, a)
	}
	return strings.Join(parts, " ")
}
