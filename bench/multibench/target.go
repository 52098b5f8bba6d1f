package main

import "fmt"

// target is what the issue asks of a scenario's main case. judge sees the
// main case's summary and runs; nil judge: no target, figures only.
type target struct {
	Text  string
	judge func(s Summary, runs []Run) (bool, string)
}

// goodputTarget: the median goodput reaches pct% of the capacity, and
// every run completes.
func goodputTarget(pct float64, text string) target {
	return target{Text: text, judge: func(s Summary, _ []Run) (bool, string) {
		ok := s.Runs > 0 && s.Complete == s.Runs && s.PctOfCapacity >= pct
		return ok, fmt.Sprintf("median %.1f Mbit/s = %.1f%% of capacity (target %g%%); %d of %d runs complete",
			s.GoodputMbps, s.PctOfCapacity, pct, s.Complete, s.Runs)
	}}
}

// everyRunTarget: every run completes and shows what the case must show
// (Run.Failed empty).
func everyRunTarget(text string) target {
	return target{Text: text, judge: func(s Summary, _ []Run) (bool, string) {
		ok := s.Runs > 0 && s.Failed == 0 && s.Complete == s.Runs
		v := fmt.Sprintf("%d of %d runs complete and as required", s.Runs-s.Failed, s.Runs)
		if s.Note != "" {
			v += "; last failure: " + s.Note
		}
		return ok, v
	}}
}

// rssTarget: every run completes within limitMB of peak resident memory.
func rssTarget(limitMB float64, text string) target {
	return target{Text: text, judge: func(s Summary, runs []Run) (bool, string) {
		worst := 0.0
		for _, r := range runs {
			worst = max(worst, r.PeakRSSMB)
		}
		ok := s.Runs > 0 && s.Complete == s.Runs && worst <= limitMB
		return ok, fmt.Sprintf("peak RSS %.1f MB (limit %g MB); %.1f Mbit/s; %d of %d runs complete",
			worst, limitMB, s.GoodputMbps, s.Complete, s.Runs)
	}}
}

// judge fills Met and Verdict from the first non-baseline case.
func (r *ScenarioResult) judge(t target) {
	r.Target = t.Text
	if t.judge == nil {
		r.Verdict = "no target: figures for comparison"
		return
	}
	for _, s := range r.Summary {
		if s.Baseline {
			continue
		}
		var runs []Run
		for _, x := range r.Runs {
			if x.Case == s.Case {
				runs = append(runs, x)
			}
		}
		met, v := t.judge(s, runs)
		r.Met, r.Verdict = &met, v
		return
	}
	r.Verdict = "no run"
}
