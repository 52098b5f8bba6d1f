package main

import (
	"encoding/json"
	"github.com/swarm-project/swarm/bench/benchkit"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"
)

// Run is one transfer of one case.
type Run struct {
	Case          string  `json:"case"`
	Bytes         int64   `json:"bytes"` // verified bytes received
	Total         int64   `json:"total"`
	Seconds       float64 `json:"seconds"`
	GoodputMbps   float64 `json:"goodput_mbps"`
	PctOfCapacity float64 `json:"pct_of_capacity"`
	Complete      bool    `json:"complete"`
	TimedOut      bool    `json:"timed_out,omitempty"`
	// Sources is the bytes each source delivered, by node label ("s1",
	// "s3 http", "s4 liar"), from swarm's summary.
	Sources map[string]int64  `json:"sources,omitempty"`
	Dropped map[string]string `json:"dropped,omitempty"`
	// WireMB is the IP megabytes each seeder's link delivered to the
	// downloader during the run (any tool).
	WireMB    map[string]float64 `json:"wire_mb,omitempty"`
	PeakRSSMB float64            `json:"peak_rss_mb,omitempty"` // of the downloading process
	CPUSec    float64            `json:"downloader_cpu_s,omitempty"`
	Event     string             `json:"event,omitempty"` // what the case did mid-transfer
	// Failed says why the run does not show what its case must show
	// (incomplete, the liar not dropped, ...); empty when it does.
	Failed string `json:"failed,omitempty"`
	Error  string `json:"error,omitempty"`
}

// finish derives goodput and completeness.
func (r *Run) finish(capacityMbit float64, size int64) {
	if r.Seconds > 0 {
		r.GoodputMbps = float64(r.Bytes) * 8 / r.Seconds / 1e6
	}
	if capacityMbit > 0 {
		r.PctOfCapacity = 100 * r.GoodputMbps / capacityMbit
	}
	r.Complete = r.Bytes >= size && r.Error == "" && !r.TimedOut
	if !r.Complete && r.Failed == "" {
		r.Failed = "incomplete"
	}
}

// Summary holds the medians of one case's runs.
type Summary struct {
	Case          string             `json:"case"`
	Baseline      bool               `json:"baseline,omitempty"`
	Runs          int                `json:"runs"`
	Complete      int                `json:"complete"`
	Failed        int                `json:"failed"` // runs that did not show what the case must show
	GoodputMbps   float64            `json:"goodput_mbps"`
	PctOfCapacity float64            `json:"pct_of_capacity"`
	PeakRSSMB     float64            `json:"peak_rss_mb,omitempty"`
	Sources       map[string]int64   `json:"sources,omitempty"` // of the median run
	WireMB        map[string]float64 `json:"wire_mb,omitempty"` // of the median run
	Dropped       map[string]string  `json:"dropped,omitempty"` // of the median run
	Event         string             `json:"event,omitempty"`   // of the median run
	Note          string             `json:"note,omitempty"`    // the last failure
}

// summarise computes one case's medians over the runs that moved data.
func summarise(name string, baseline bool, runs []Run) Summary {
	s := Summary{Case: name, Baseline: baseline, Runs: len(runs)}
	var moved []Run
	for _, r := range runs {
		if r.Complete {
			s.Complete++
		}
		if r.Failed != "" {
			s.Failed++
			s.Note = r.Failed
			if r.Error != "" {
				s.Note += ": " + r.Error
			}
		}
		if r.Bytes > 0 {
			moved = append(moved, r)
		}
	}
	if len(moved) == 0 {
		return s
	}
	slices.SortStableFunc(moved, func(a, b Run) int { return cmpFloat(a.GoodputMbps, b.GoodputMbps) })
	mid := moved[(len(moved)-1)/2] // the lower middle run stands for the median's details
	s.GoodputMbps = benchkit.Median(moved, func(r Run) float64 { return r.GoodputMbps })
	s.PctOfCapacity = benchkit.Median(moved, func(r Run) float64 { return r.PctOfCapacity })
	s.PeakRSSMB = benchkit.Median(moved, func(r Run) float64 { return r.PeakRSSMB })
	s.Sources, s.WireMB, s.Dropped, s.Event = mid.Sources, mid.WireMB, mid.Dropped, mid.Event
	return s
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// ScenarioResult is what one scenario's run writes to bench/results.
type ScenarioResult struct {
	Scenario     string     `json:"scenario"`
	Title        string     `json:"title"`
	Setup        string     `json:"setup"`
	Target       string     `json:"target"`
	Met          *bool      `json:"met"` // nil: no target
	Verdict      string     `json:"verdict"`
	CapacityMbit float64    `json:"capacity_mbit"`
	SizeBytes    int64      `json:"size_bytes"`
	Date         time.Time  `json:"date"`
	Machine      Machine    `json:"machine"`
	Command      string     `json:"command"`
	Links        []LinkInfo `json:"links,omitempty"`
	Summary      []Summary  `json:"summary"`
	Runs         []Run      `json:"runs"`
}

// LinkInfo describes one seeder's lab link.
type LinkInfo struct {
	Seeder   string  `json:"seeder"`
	RateMbit float64 `json:"rate_mbit"`
	RTTms    float64 `json:"rtt_ms"`
	LossPct  float64 `json:"loss_pct"`
	QueueMs  float64 `json:"queue_ms"`
}

// Machine describes where the benchmark ran.
type Machine struct {
	Host   string `json:"host"`
	Kernel string `json:"kernel"`
	Cores  int    `json:"cores"`
	Go     string `json:"go"`
	Load   string `json:"load_before"` // /proc/loadavg when the scenario started
}

func thisMachine() Machine {
	m := Machine{Cores: runtime.NumCPU(), Go: runtime.Version()}
	m.Host, _ = os.Hostname()
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) >= 3 {
			m.Load = strings.Join(f[:3], " ")
		}
	}
	return m
}

// resultPrefix names result files: <date>-multi-<scenario>.json.
const resultPrefix = "-multi-"

func (r *ScenarioResult) write(dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return "", err
	}
	p := filepath.Join(dir, r.Date.Format("2006-01-02")+resultPrefix+r.Scenario+".json")
	return p, os.WriteFile(p, append(b, '\n'), 0o644)
}

// latestResults reads this harness's result files in dir and keeps the
// newest per scenario, in the order of order (unknown scenarios last).
func latestResults(dir string, order []string) ([]*ScenarioResult, error) {
	out, err := benchkit.Latest(filepath.Join(dir, "*"+resultPrefix+"*.json"),
		func(r *ScenarioResult) string { return r.Scenario },
		func(r *ScenarioResult) time.Time { return r.Date })
	if err != nil {
		return nil, err
	}
	rank := func(name string) int {
		if i := slices.Index(order, name); i >= 0 {
			return i
		}
		return len(order)
	}
	slices.SortFunc(out, func(a, b *ScenarioResult) int {
		if d := rank(a.Scenario) - rank(b.Scenario); d != 0 {
			return d
		}
		return strings.Compare(a.Scenario, b.Scenario)
	})
	return out, nil
}
