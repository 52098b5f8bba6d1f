package main

import (
	"encoding/json"
	"math"
	"testing"
)

func TestMbpsOverCountsPartIntervals(t *testing.T) {
	var rep iperfIntervals
	// Three seconds at 1, 2 and 3 MB.
	js := `{"intervals":[{"sum":{"start":0,"end":1,"bytes":1000000}},{"sum":{"start":1,"end":2,"bytes":2000000}},{"sum":{"start":2,"end":3,"bytes":3000000}}]}`
	if err := json.Unmarshal([]byte(js), &rep); err != nil {
		t.Fatal(err)
	}
	// From 0.5 s to 2.5 s: 0.5 + 2 + 1.5 MB in 2 s = 16 Mbit/s.
	if got := rep.mbpsOver(0.5, 2.5); math.Abs(got-16) > 1e-9 {
		t.Fatalf("rate %v, want 16", got)
	}
	if got := rep.mbpsOver(2, 2); got != 0 {
		t.Fatalf("empty window: %v", got)
	}
}
