package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/swarm-project/swarm/bench/lab"
)

// caseSpec is one way of moving the data set in a scenario: swarm with
// some sources, or a baseline tool.
type caseSpec struct {
	Name     string
	Baseline bool // a comparison; the target applies to the other case
	run      func(ctx context.Context, e *labEnv, r *Run) error
}

// scenario is one benchmark of the issue. Scenarios of the same Group run
// in one lab (the same links); Group "" is the loopback memory benchmark.
type scenario struct {
	Name         string
	Title        string
	Setup        string
	Group        string
	Links        []lab.Path
	CapacityMbit float64 // what the sources can deliver together
	Repeat       int     // default runs of the main case (0: --repeat)
	Target       target
	Cases        []caseSpec
	// Needs says why the scenario cannot run here (a tool not built),
	// nil when it can; nil Needs: nothing beyond the lab.
	Needs func(o options) error
}

// p2 is the mission's profile P2: 100 Mbit/s, 100 ms, 1% loss.
var p2 = lab.Path{RateMbit: 100, RTT: 100 * time.Millisecond, LossPct: 1, QueueMs: 100}

// quarterCap is the upload cap of each of the four seeders, Mbit/s.
const quarterCap = 25

func scenarios() []scenario {
	hetero := []lab.Path{
		{RateMbit: 50, RTT: 20 * time.Millisecond, LossPct: 0.1, QueueMs: 100},
		{RateMbit: 30, RTT: 100 * time.Millisecond, LossPct: 1, QueueMs: 100},
		{RateMbit: 20, RTT: 250 * time.Millisecond, LossPct: 2, QueueMs: 100},
	}
	mixedLink := lab.Path{RateMbit: 40, RTT: 100 * time.Millisecond, LossPct: 1, QueueMs: 100}
	return []scenario{
		{Name: "quarter", Title: "4 seeders capped at a quarter of the link each", Group: "p2x4",
			Setup: "4 seeders on P2 links, each `swarm daemon --max-upload-rate 25M`; `swarm get` with the 4 swarmrc addresses",
			Links: repeatPath(p2, 4), CapacityMbit: 4 * quarterCap,
			Target: goodputTarget(95, "at least 95% of 100 Mbit/s"),
			Cases: []caseSpec{
				{Name: "swarm 4 seeders x 25M", run: swarmCase([]int{0, 1, 2, 3}, quarterCap, nil)},
				{Name: "swarm 1 seeder uncapped", Baseline: true, run: swarmCase([]int{0}, 0, nil)},
			}},
		{Name: "hetero", Title: "seeders with different rate, RTT and loss", Group: "hetero",
			Setup: "3 uncapped seeders, each on a different link; `swarm get` with the 3 swarmrc addresses; aria2c gets the file over HTTP from nginx on the same 3 seeders",
			Links: hetero, CapacityMbit: 100,
			Target: goodputTarget(90, "at least 90% of the sum of the links (100 Mbit/s)"),
			Cases: []caseSpec{
				{Name: "swarm 3 seeders", run: swarmCase([]int{0, 1, 2}, 0, nil)},
				{Name: "aria2c -x16, 3 HTTP mirrors", Baseline: true, run: aria2Case([]int{0, 1, 2})},
			}},
		{Name: "mixed", Title: "2 peers plus 1 HTTP endpoint", Group: "mixed",
			Setup: "Swarm daemons on s1 and s2, nginx on s3 serving the same file (`--endpoint`); aria2c gets the file over HTTP from nginx on all 3 seeders, as mirrors (it cannot use swarm peers)",
			Links: repeatPath(mixedLink, 3), CapacityMbit: 3 * mixedLink.RateMbit,
			Cases: []caseSpec{
				{Name: "swarm 2 peers + 1 HTTP endpoint", run: swarmCase([]int{0, 1}, 0, []int{2})},
				{Name: "swarm 2 peers", Baseline: true, run: swarmCase([]int{0, 1}, 0, nil)},
				{Name: "aria2c -x16, 3 HTTP mirrors", Baseline: true, run: aria2Case([]int{0, 1, 2})},
			}},
		{Name: "kubo", Title: "Kubo `ipfs get` from 3 providers, beside swarm on the same links", Group: "p2x3",
			Setup: "3 uncapped seeders on P2 links. Swarm: `swarm daemon` on each, `swarm get` with the 3 swarmrc addresses. " +
				"Kubo " + kuboVersion + " (`make kubo`, built with Go 1.25): on each seeder `ipfs init --profile=test`, the data set added " +
				"(`ipfs add --cid-version=1 --raw-leaves`, default 256 KiB chunks, the same root on all 3) and `ipfs daemon`; " +
				"in the downloader a fresh daemon, `ipfs swarm connect` to the 3 over QUIC or TCP, then `ipfs get CID` timed " +
				"(wall time) and compared byte for byte; `ipfs get` writes only at the end, so a time-boxed run counts the unique " +
				"block bytes bitswap received (`ipfs bitswap stat`). Every node has Routing.Type none, no bootstrap, mDNS, AutoConf, " +
				"AutoTLS, relays, NAT mapping, HTTP retrieval or telemetry, and listens only on its lab address. " +
				"Kubo's TCP is the lab's CUBIC, its QUIC quic-go's own congestion control. " +
				"Kubo's peak RSS is the downloader daemon's, its CPU the daemon's during the get plus the get command's",
			Links: repeatPath(p2, 3), CapacityMbit: 3 * p2.RateMbit,
			Cases: []caseSpec{
				{Name: "swarm 3 seeders", run: swarmCase([]int{0, 1, 2}, 0, nil)},
				{Name: "Kubo ipfs get, 3 providers, QUIC", Baseline: true, run: kuboCase([]int{0, 1, 2}, "quic-v1")},
				{Name: "Kubo ipfs get, 3 providers, TCP", Baseline: true, run: kuboCase([]int{0, 1, 2}, "tcp")},
			},
			Needs: func(o options) error { return o.kubo().check() }},
		{Name: "kill", Title: "a seeder killed mid-transfer", Group: "p2x4",
			Setup: "As quarter; the daemon of s1 is killed (SIGKILL by PID) when --kill-at of the file has arrived",
			Links: repeatPath(p2, 4), CapacityMbit: 4 * quarterCap, Repeat: 1,
			Target: everyRunTarget("the download completes"),
			Cases:  []caseSpec{{Name: "swarm 4 seeders x 25M, s1 killed", run: killCase}}},
		{Name: "liar", Title: "a seeder that serves corrupt chunks", Group: "p2x4",
			Setup: "3 honest seeders (25M caps) and on s4 `multibench liar`, a libp2p host that proxies a real daemon and flips a byte of every chunk; the liar is the first --peer",
			Links: repeatPath(p2, 4), CapacityMbit: 4 * quarterCap, Repeat: 1,
			Target: everyRunTarget("the download completes and the liar is named in \"dropped\""),
			Cases:  []caseSpec{{Name: "swarm 3 seeders x 25M + liar", run: liarCase}}},
		{Name: "memory", Title: "memory of a big download from many sources (loopback)",
			Setup:  "One file, `swarm add` in place in each source's repo, one daemon per source on 127.0.0.1 (swarmrc), `swarm get` with every source",
			Target: rssTarget(150, "at most 150 MB resident")},
	}
}

func repeatPath(p lab.Path, n int) []lab.Path {
	out := make([]lab.Path, n)
	for i := range out {
		out[i] = p
	}
	return out
}

// scenarioNames lists every scenario in report order.
func scenarioNames() []string {
	var out []string
	for _, s := range scenarios() {
		out = append(out, s.Name)
	}
	return out
}

// selectScenarios returns the named scenarios ("all" for every one) in
// table order.
func selectScenarios(names string) ([]scenario, error) {
	want := map[string]bool{}
	for _, n := range strings.Split(names, ",") {
		if n = strings.TrimSpace(n); n != "" {
			want[n] = true
		}
	}
	var out []scenario
	for _, s := range scenarios() {
		if want["all"] || want[s.Name] {
			out = append(out, s)
			delete(want, s.Name)
		}
	}
	delete(want, "all")
	if len(want) > 0 {
		var unknown []string
		for n := range want {
			unknown = append(unknown, n)
		}
		slices.Sort(unknown)
		return nil, fmt.Errorf("unknown scenarios %v (have %v)", unknown, scenarioNames())
	}
	return out, nil
}

// linkInfo describes the scenario's links for the result.
func (s scenario) linkInfo() []LinkInfo {
	var out []LinkInfo
	for i, p := range s.Links {
		out = append(out, LinkInfo{Seeder: fmt.Sprintf("s%d", i+1), RateMbit: p.RateMbit,
			RTTms: float64(p.RTT) / float64(time.Millisecond), LossPct: p.LossPct, QueueMs: p.QueueMs})
	}
	return out
}
