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

	"github.com/swarm-project/swarm/bench/lab"
)

// ProfileResult is what one profile's run writes to bench/results.
type ProfileResult struct {
	Profile        Profile        `json:"profile"`
	Date           time.Time      `json:"date"`
	Machine        Machine        `json:"machine"`
	Command        string         `json:"command"`
	Repeat         int            `json:"repeat"`
	TimeboxSeconds float64        `json:"timebox_seconds"`
	SizeBytes      int64          `json:"size_bytes"`
	SwarmStatus    string         `json:"swarm_status"`
	Summary        []Summary      `json:"summary"`
	Runs           []Measurement  `json:"runs"`
	LinkStats      []lab.DirStats `json:"link_stats"`
}

// Summary holds the medians of one tool's runs.
type Summary struct {
	Tool            string  `json:"tool"`
	Runs            int     `json:"runs"`
	Failed          int     `json:"failed"`
	TimedOut        int     `json:"timed_out"`
	GoodputMbps     float64 `json:"goodput_mbps"`
	GoodputPct      float64 `json:"goodput_pct"`
	WallGoodputMbps float64 `json:"wall_goodput_mbps,omitempty"`
	RetransPct      float64 `json:"retrans_pct"`
	WireOverheadPct float64 `json:"wire_overhead_pct"`
	SenderCPUPerGB  float64 `json:"sender_cpu_s_per_gb"`
	RecvCPUPerGB    float64 `json:"receiver_cpu_s_per_gb"`
	Note            string  `json:"note,omitempty"`
}

// Machine describes where the benchmark ran.
type Machine struct {
	Host   string `json:"host"`
	Kernel string `json:"kernel"`
	CPU    string `json:"cpu"`
	Cores  int    `json:"cores"`
	Go     string `json:"go"`
}

func thisMachine() Machine {
	m := Machine{Cores: runtime.NumCPU(), Go: runtime.Version()}
	m.Host, _ = os.Hostname()
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	return m
}

func newProfileResult(p Profile, o options, repeat int) *ProfileResult {
	return &ProfileResult{Profile: p, Date: time.Now().UTC(), Machine: thisMachine(), Command: o.command,
		Repeat: repeat, TimeboxSeconds: o.timebox.Seconds(), SizeBytes: o.size}
}

func (r *ProfileResult) add(m Measurement) { r.Runs = append(r.Runs, m) }

// summarise computes per-tool medians over the runs that moved data, in
// the order the tools first ran.
func (r *ProfileResult) summarise() {
	r.Summary = nil
	var order []string
	byTool := map[string][]Measurement{}
	for _, m := range r.Runs {
		if _, ok := byTool[m.Tool]; !ok {
			order = append(order, m.Tool)
		}
		byTool[m.Tool] = append(byTool[m.Tool], m)
	}
	for _, t := range order {
		r.Summary = append(r.Summary, summarise(t, byTool[t]))
	}
}

func summarise(tool string, runs []Measurement) Summary {
	s := Summary{Tool: tool, Runs: len(runs)}
	var ok []Measurement
	for _, m := range runs {
		if m.TimedOut {
			s.TimedOut++
		}
		if m.Bytes > 0 && (m.Error == "" || m.TimedOut) {
			ok = append(ok, m)
		} else {
			s.Failed++
			s.Note = m.Error
		}
	}
	if len(ok) == 0 {
		s.RetransPct = -1
		return s
	}
	med := func(f func(Measurement) float64) float64 { return benchkit.Median(ok, f) }
	s.GoodputMbps = med(func(m Measurement) float64 { return m.GoodputMbps })
	s.GoodputPct = med(func(m Measurement) float64 { return m.GoodputPct })
	s.WallGoodputMbps = med(func(m Measurement) float64 { return m.WallGoodputMbps })
	s.RetransPct = med(func(m Measurement) float64 { return m.RetransPct })
	s.WireOverheadPct = med(func(m Measurement) float64 { return m.WireOverheadPct })
	s.SenderCPUPerGB = med(func(m Measurement) float64 { return m.SenderCPUPerGB })
	s.RecvCPUPerGB = med(func(m Measurement) float64 { return m.RecvCPUPerGB })
	return s
}

func (r *ProfileResult) write(dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return "", err
	}
	p := filepath.Join(dir, r.Date.Format("2006-01-02")+"-"+r.Profile.Name+".json")
	return p, os.WriteFile(p, append(b, '\n'), 0o644)
}

// latestResults reads every result file in dir and keeps the newest per
// profile, ordered by profile name.
func latestResults(dir string) ([]*ProfileResult, error) {
	out, err := benchkit.Latest(filepath.Join(dir, "*.json"),
		func(r *ProfileResult) string { return r.Profile.Name },
		func(r *ProfileResult) time.Time { return r.Date })
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b *ProfileResult) int { return strings.Compare(a.Profile.Name, b.Profile.Name) })
	return out, nil
}
