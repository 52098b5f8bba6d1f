package main

import (
	"strings"
	"testing"
	"time"
)

func runOf(c string, mbps float64, complete bool) Run {
	r := Run{Case: c, GoodputMbps: mbps, PctOfCapacity: mbps, Complete: complete, Bytes: 1,
		Sources: map[string]int64{"s1": int64(mbps)}}
	if !complete {
		r.Failed = "incomplete"
	}
	return r
}

func TestSummariseMediansAndMedianRun(t *testing.T) {
	s := summarise("c", false, []Run{runOf("c", 90, true), runOf("c", 97, true), runOf("c", 95, true), runOf("c", 80, false)})
	if s.Runs != 4 || s.Complete != 3 || s.Failed != 1 {
		t.Errorf("counts %+v", s)
	}
	if s.GoodputMbps != 92.5 { // mean of the middle two of 80, 90, 95, 97
		t.Errorf("median %v", s.GoodputMbps)
	}
	if s.Sources["s1"] != 90 { // the lower middle run
		t.Errorf("median run's sources %v", s.Sources)
	}
	if empty := summarise("c", false, []Run{{Case: "c", Failed: "incomplete"}}); empty.GoodputMbps != 0 || empty.Failed != 1 {
		t.Errorf("no data: %+v", empty)
	}
}

func resultWith(tg target, runs ...Run) *ScenarioResult {
	s := scenario{Name: "x", Target: tg, Cases: []caseSpec{{Name: "main"}, {Name: "base", Baseline: true}}}
	r := &ScenarioResult{Scenario: "x"}
	for _, run := range runs {
		r.add(s, run)
	}
	return r
}

func TestGoodputTargetJudgesMainCaseOnly(t *testing.T) {
	tg := goodputTarget(95, "95%")
	r := resultWith(tg, runOf("main", 96, true), runOf("base", 10, true), runOf("main", 94, true), runOf("main", 95.5, true))
	if r.Met == nil || !*r.Met {
		t.Fatalf("median 95.5 should meet 95%%: %s", r.Verdict)
	}
	r = resultWith(tg, runOf("main", 99, true), runOf("main", 94, true), runOf("main", 94.9, true))
	if *r.Met {
		t.Errorf("median 94.9 met 95%%: %s", r.Verdict)
	}
	r = resultWith(tg, runOf("main", 99, true), runOf("main", 99, false))
	if *r.Met {
		t.Errorf("an incomplete run met the target: %s", r.Verdict)
	}
}

func TestEveryRunAndRSSTargets(t *testing.T) {
	bad := runOf("main", 50, true)
	bad.Failed = "the liar is not named in dropped"
	if r := resultWith(everyRunTarget("t"), runOf("main", 50, true), bad); *r.Met || !strings.Contains(r.Verdict, "liar") {
		t.Errorf("verdict %q met %v", r.Verdict, *r.Met)
	}
	if r := resultWith(everyRunTarget("t"), runOf("main", 50, true)); !*r.Met {
		t.Errorf("verdict %q", r.Verdict)
	}
	big := runOf("main", 900, true)
	big.PeakRSSMB = 151
	if r := resultWith(rssTarget(150, "t"), big); *r.Met {
		t.Errorf("151 MB met a 150 MB limit: %s", r.Verdict)
	}
	big.PeakRSSMB = 149
	if r := resultWith(rssTarget(150, "t"), big); !*r.Met {
		t.Errorf("149 MB: %s", r.Verdict)
	}
	if r := resultWith(target{}, runOf("main", 1, true)); r.Met != nil {
		t.Error("a scenario without target was judged")
	}
}

func TestLatestResultsAndRender(t *testing.T) {
	dir := t.TempDir()
	old := resultWith(goodputTarget(95, "95%"), runOf("main", 50, true))
	old.Scenario, old.Date = "quarter", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	newer := resultWith(goodputTarget(95, "95%"), runOf("main", 96, true), runOf("base", 80, true))
	newer.Scenario, newer.Date = "quarter", time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
	newer.Title, newer.CapacityMbit, newer.SizeBytes = "four", 100, 200e6
	newer.Links = []LinkInfo{{Seeder: "s1", RateMbit: 100, RTTms: 100, LossPct: 1, QueueMs: 100},
		{Seeder: "s2", RateMbit: 100, RTTms: 100, LossPct: 1, QueueMs: 100}}
	mem := resultWith(rssTarget(150, "150 MB"), runOf("main", 900, true))
	mem.Scenario, mem.Date = "memory", old.Date
	for _, r := range []*ScenarioResult{old, newer, mem} {
		if _, err := r.write(dir); err != nil {
			t.Fatal(err)
		}
	}
	got, err := latestResults(dir, []string{"quarter", "memory"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Scenario != "quarter" || !got[0].Date.Equal(newer.Date) || got[1].Scenario != "memory" {
		t.Fatalf("latest: %d results, first %s %v", len(got), got[0].Scenario, got[0].Date)
	}
	md := renderSection(got)
	for _, want := range []string{"### quarter: four — target met", "s1–s2 100 Mbit/s, 100 ms, 1% loss", "| main | 96.0 | 96.0 | 1 (1) | s1 0 |",
		"| base (baseline) |", "### memory"} {
		if !strings.Contains(md, want) {
			t.Errorf("section lacks %q:\n%s", want, md)
		}
	}
}
