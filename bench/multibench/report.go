package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// renderSection writes the markdown for the newest result of each
// scenario.
func renderSection(results []*ScenarioResult) string {
	var b strings.Builder
	b.WriteString("## Multi-source downloads (`make bench-multi`)\n\n")
	b.WriteString("`go run ./bench/multibench` (root). Lab scenarios run on the WAN lab's star (docs/wanlab.md): each seeder namespace ")
	b.WriteString("has its own emulated link to the downloader. Swarm runs through its CLI only: `swarm daemon` in each seeder after ")
	b.WriteString("`init` and `add` (in place), `swarm get CID --peer ... [--endpoint ...] --json` in the downloader with a fresh repository. ")
	b.WriteString("Goodput is verified bytes over swarm's own transfer time (aria2c: wall time); capacity is what the sources can deliver together ")
	b.WriteString("(the sum of their link rates, in IP bytes, so headers alone keep goodput about 3–5% under it; or of their upload caps when lower, ")
	b.WriteString("which are rates of data since session 8, so a capped seeder's headers come on top of its cap). ")
	b.WriteString("Figures are medians over the runs; per-source bytes are swarm's own `sources` of the median run, wire MB the IP bytes each ")
	b.WriteString("seeder's link delivered during it. Peak RSS is the downloading process's ru_maxrss (what `/usr/bin/time -v` reports); ")
	b.WriteString("MB are 10^6 bytes. The machine has 2 cores shared with other work: expect noise.\n\n")
	for _, r := range results {
		renderScenario(&b, r)
	}
	return b.String()
}

func renderScenario(b *strings.Builder, r *ScenarioResult) {
	fmt.Fprintf(b, "### %s: %s — %s\n\n", r.Scenario, r.Title, verdictWord(r))
	fmt.Fprintf(b, "%s.", r.Setup)
	if len(r.Links) > 0 {
		fmt.Fprintf(b, " Links: %s; capacity %g Mbit/s; %d MB file.", describeLinks(r.Links), r.CapacityMbit, r.SizeBytes/1_000_000)
	}
	fmt.Fprintf(b, " %s UTC on %s (%d cores, Linux %s, %s, load %s). Command: `%s`\n\n",
		r.Date.Format("2006-01-02 15:04"), r.Machine.Host, r.Machine.Cores, r.Machine.Kernel, r.Machine.Go, r.Machine.Load, r.Command)
	if r.Target != "" {
		fmt.Fprintf(b, "Target: %s. Result: %s.\n\n", r.Target, r.Verdict)
	}
	b.WriteString("| case | goodput Mbit/s | % of capacity | runs (complete) | bytes per source, MB | wire MB per seeder | dropped | peak RSS MB | notes |\n")
	b.WriteString("| --- | ---: | ---: | ---: | --- | --- | --- | ---: | --- |\n")
	for _, s := range r.Summary {
		name := s.Case
		if s.Baseline {
			name += " (baseline)"
		}
		pct := "–"
		if r.CapacityMbit > 0 {
			pct = fmt.Sprintf("%.1f", s.PctOfCapacity)
		}
		fmt.Fprintf(b, "| %s | %.1f | %s | %d (%d) | %s | %s | %s | %.0f | %s |\n", name, s.GoodputMbps, pct,
			s.Runs, s.Complete, formatMB(s.Sources), formatFloats(s.WireMB), formatDropped(s.Dropped), s.PeakRSSMB, cell(notes(s)))
	}
	b.WriteString("\n")
}

func verdictWord(r *ScenarioResult) string {
	switch {
	case r.Met == nil:
		return "comparison"
	case *r.Met:
		return "target met"
	}
	return "**target not met**"
}

// describeLinks writes identical links once with a count.
func describeLinks(links []LinkInfo) string {
	var parts []string
	for i := 0; i < len(links); {
		j := i
		for j < len(links) && sameLink(links[j], links[i]) {
			j++
		}
		l := links[i]
		d := fmt.Sprintf("%g Mbit/s, %g ms, %g%% loss, %g ms queue", l.RateMbit, l.RTTms, l.LossPct, l.QueueMs)
		if j-i > 1 {
			d = fmt.Sprintf("%s–%s %s", links[i].Seeder, links[j-1].Seeder, d)
		} else {
			d = l.Seeder + " " + d
		}
		parts = append(parts, d)
		i = j
	}
	return strings.Join(parts, "; ")
}

func sameLink(a, b LinkInfo) bool {
	return a.RateMbit == b.RateMbit && a.RTTms == b.RTTms && a.LossPct == b.LossPct && a.QueueMs == b.QueueMs
}

func formatMB(m map[string]int64) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s %.0f", k, float64(m[k])/1e6))
	}
	return cell(strings.Join(parts, ", "))
}

func formatFloats(m map[string]float64) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s %.0f", k, m[k]))
	}
	return cell(strings.Join(parts, ", "))
}

func formatDropped(m map[string]string) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, k+": "+shorten(m[k], 80))
	}
	return cell(strings.Join(parts, "; "))
}

func notes(s Summary) string {
	var n []string
	if s.Event != "" {
		n = append(n, s.Event)
	}
	if s.Failed > 0 {
		n = append(n, fmt.Sprintf("%d failed: %s", s.Failed, shorten(s.Note, 160)))
	}
	return strings.Join(n, "; ")
}

func shorten(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// cell makes text safe inside a markdown table cell.
func cell(s string) string {
	if s == "" {
		return "–"
	}
	return strings.NewReplacer("|", "/", "\n", " ").Replace(s)
}
