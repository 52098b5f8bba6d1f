package main

import (
	"fmt"
	"strings"
)

// docSection is the id of the WAN section in docs/benchmarks.md.
const docSection = "wanbench"

// renderSection writes the markdown for the newest result of each profile.
func renderSection(results []*ProfileResult) string {
	var b strings.Builder
	b.WriteString("## WAN profiles (`make bench-wan`)\n\n")
	b.WriteString("Each profile runs on the user-space WAN lab (docs/wanlab.md): one seeder namespace sends to one downloader ")
	b.WriteString("namespace over an emulated link with the given bottleneck rate (IP bytes), round-trip time, random loss each way and ")
	b.WriteString("a drop-tail queue. All tools move the same file over the same link in the same run, interleaved; figures are medians over the runs. ")
	b.WriteString("Goodput is application bytes over the transfer time each tool reports: iperf3's test time (after its control and data connections are up), ")
	b.WriteString("curl's total time, aria2c's process time, and for swarm the transfer time from its `--json` report, which starts once the connection is up, with the manifest request ")
	b.WriteString("(since session 8, when the first chunks come pushed with it; before, once the manifest was read), so it leaves out the libp2p connection and its security and muxer handshakes. ")
	b.WriteString("Wall goodput divides by the client process's life instead, launch to exit, for every tool: what a user waits for, setup included. ")
	b.WriteString("TCP's ceiling is about 96.5% of the IP rate (headers). ")
	b.WriteString("Retransmitted bytes come from the seeder namespace's TCP counters (RetransSegs × 1448), or for swarm from the seeder daemon's session totals (`swarm status --json`, which count the redundant second copies of small flights too); ")
	b.WriteString("wire overhead is every IP byte the seeder offered to the link beyond the data (headers and retransmissions). ")
	b.WriteString("CPU is user+system seconds per GB of data of the sending and the receiving process. ")
	b.WriteString("A run that hit its time box reports the goodput it reached until then.\n\n")
	for _, r := range results {
		renderProfile(&b, r)
	}
	return b.String()
}

func renderProfile(b *strings.Builder, r *ProfileResult) {
	p := r.Profile
	fmt.Fprintf(b, "### %s: %g Mbit/s, %g ms RTT, %g%% loss (queue %g ms)\n\n", p.Name, p.RateMbit, p.RTTms, p.LossPct, p.QueueMs)
	fmt.Fprintf(b, "%s UTC on %s (%s, %d cores, Linux %s, %s); %d MB file, %d run(s) per tool, time box %gs. Command: `%s`\n\n",
		r.Date.Format("2006-01-02 15:04"), r.Machine.Host, r.Machine.CPU, r.Machine.Cores, r.Machine.Kernel, r.Machine.Go,
		r.SizeBytes/1e6, r.Repeat, r.TimeboxSeconds, r.Command)
	b.WriteString("| tool | goodput Mbit/s | % of bottleneck | wall goodput Mbit/s | retransmitted % | wire overhead % | sender CPU s/GB | receiver CPU s/GB | runs | notes |\n")
	b.WriteString("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n")
	for _, s := range r.Summary {
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s | %s | %d | %s |\n", s.Tool,
			num(s, s.GoodputMbps), num(s, s.GoodputPct), wall(s), pct(s, s.RetransPct), num(s, s.WireOverheadPct),
			num(s, s.SenderCPUPerGB), num(s, s.RecvCPUPerGB), s.Runs, notes(s))
	}
	b.WriteString("\n")
}

func ok(s Summary) bool { return s.Failed < s.Runs }

// wall is the wall goodput, or n/a for results measured before it was.
func wall(s Summary) string {
	if !ok(s) {
		return "–"
	}
	if s.WallGoodputMbps == 0 {
		return "n/a"
	}
	return num(s, s.WallGoodputMbps)
}

func num(s Summary, v float64) string {
	if !ok(s) {
		return "–"
	}
	return fmt.Sprintf("%.1f", v)
}

func pct(s Summary, v float64) string {
	if !ok(s) || v < 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.2f", v)
}

func notes(s Summary) string {
	var n []string
	if s.TimedOut > 0 {
		n = append(n, fmt.Sprintf("time-boxed in %d of %d runs", s.TimedOut, s.Runs))
	}
	if s.Failed > 0 {
		msg := s.Note
		if len(msg) > 120 {
			msg = msg[:120] + "…"
		}
		n = append(n, fmt.Sprintf("failed %d: %s", s.Failed, strings.ReplaceAll(msg, "|", "/")))
	}
	return strings.Join(n, "; ")
}
