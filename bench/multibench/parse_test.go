package main

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestPickAddr(t *testing.T) {
	id := idJSON{ID: "12D3Koo", Addrs: []string{
		"/ip4/127.0.0.1/udp/4802/swarmrc/p2p/12D3Koo",
		"/ip4/10.77.0.11/udp/4801/quic-v1",
		"/ip4/10.77.0.11/tcp/4801",
		"/ip4/10.77.0.11/udp/4802/swarmrc",
		"/ip4/10.77.0.110/udp/9/swarmrc",
	}}
	cases := []struct{ ip, transport, want string }{
		{"10.77.0.11", "swarmrc", "/ip4/10.77.0.11/udp/4802/swarmrc/p2p/12D3Koo"},
		{"10.77.0.11", "tcp", "/ip4/10.77.0.11/tcp/4801/p2p/12D3Koo"},
		{"127.0.0.1", "swarmrc", "/ip4/127.0.0.1/udp/4802/swarmrc/p2p/12D3Koo"},
		{"127.0.0.1", "tcp", ""},
		{"10.77.0.12", "swarmrc", ""},
	}
	for _, c := range cases {
		if got := pickAddr(id, c.ip, c.transport); got != c.want {
			t.Errorf("pickAddr(%s, %s) = %q, want %q", c.ip, c.transport, got, c.want)
		}
	}
}

func TestFillFromGetNamesSources(t *testing.T) {
	g := getOutcome{Parsed: true, Wall: 12, PeakRSS: 95_500_000, CPU: 3, Summary: getSummary{
		Bytes: 100, Total: 100, Seconds: 10,
		Sources: map[string]int64{"peer A": 60, "peer B": 40, "http http://x/f": 0, "local": 0},
		Dropped: map[string]string{"peer B": "sent corrupt data"},
	}}
	labels := map[string]string{"peer A": "s1", "peer B": "s4 liar", "http http://x/f": "s3 http"}
	var r Run
	fillFromGet(&r, g, labels)
	want := map[string]int64{"s1": 60, "s4 liar": 40, "s3 http": 0}
	if !reflect.DeepEqual(r.Sources, want) {
		t.Errorf("sources %v, want %v", r.Sources, want)
	}
	if r.Dropped["s4 liar"] != "sent corrupt data" || len(r.Dropped) != 1 {
		t.Errorf("dropped %v", r.Dropped)
	}
	if r.Seconds != 10 || r.PeakRSSMB != 95.5 || r.Error != "" {
		t.Errorf("seconds %v rss %v err %q", r.Seconds, r.PeakRSSMB, r.Error)
	}
	r.finish(100, 100)
	if !r.Complete || r.GoodputMbps != 80e-6 {
		t.Errorf("complete %v goodput %v", r.Complete, r.GoodputMbps)
	}
}

func TestFillFromGetWithoutSummaryUsesWallTime(t *testing.T) {
	g := getOutcome{Wall: 90, TimedOut: true, Err: errors.New("signal: interrupt"), Summary: getSummary{Bytes: 40}}
	var r Run
	fillFromGet(&r, g, nil)
	r.finish(100, 100)
	if r.Seconds != 90 || r.Complete || r.Failed != "incomplete" || !r.TimedOut {
		t.Errorf("run %+v", r)
	}
}

func TestWireDelta(t *testing.T) {
	got := wireDelta(map[string]uint64{"s1": 1e6, "s2": 5}, map[string]uint64{"s1": 3e6, "s2": 5, "s3": 2e6})
	want := map[string]float64{"s1": 2, "s3": 2}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestLogTailWaitsForPrefixAcrossWrites(t *testing.T) {
	l := newLogTail(16, "API http")
	for _, s := range []string{"swarm daemon 12D\nAPI ht", "tp://127.0.0.1:5001\nlistening on ...\n"} {
		if _, err := l.Write([]byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case <-l.ready:
	default:
		t.Fatal("ready not closed")
	}
	if l.Line() != "API http://127.0.0.1:5001" {
		t.Errorf("line %q", l.Line())
	}
	if got := len(l.b.Bytes()); got != 16 {
		t.Errorf("kept %d bytes, cap 16", got)
	}
}

func TestCommandLineQuotes(t *testing.T) {
	got := commandLine([]string{"--doc", "", "--scenarios", "a b"})
	if want := "go run ./bench/multibench --doc '' --scenarios 'a b'"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestSelectAndGroupScenarios(t *testing.T) {
	sel, err := selectScenarios("liar,quarter,memory,hetero")
	if err != nil {
		t.Fatal(err)
	}
	var groups []string
	for _, g := range groupScenarios(sel) {
		var names []string
		for _, s := range g {
			names = append(names, s.Name)
		}
		groups = append(groups, strings.Join(names, "+"))
	}
	if want := []string{"quarter+liar", "hetero", "memory"}; !reflect.DeepEqual(groups, want) {
		t.Errorf("groups %v, want %v", groups, want)
	}
	if _, err := selectScenarios("quarter,nope"); err == nil {
		t.Error("unknown scenario accepted")
	}
}

func TestRunsOf(t *testing.T) {
	s := scenario{Repeat: 1}
	main, base := caseSpec{}, caseSpec{Baseline: true}
	o := options{baselineRepeat: 2}
	if o.runsOf(s, main) != 1 || o.runsOf(s, base) != 2 || o.runsOf(scenario{}, main) != defaultRepeat {
		t.Error("defaults")
	}
	o.repeat = 5
	if o.runsOf(s, main) != 5 || o.runsOf(s, base) != 2 {
		t.Error("--repeat")
	}
}
