package ratectl

import (
	"bufio"
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

func TestJSONTracer(t *testing.T) {
	var buf bytes.Buffer
	tr := NewJSONTracer(&buf)
	tr.Trace(TraceRecord{Time: t0, Policy: "fair", Mode: "delay", Rate: 1e6, RTT: 50 * time.Millisecond})
	tr.Trace(TraceRecord{Time: t0.Add(time.Second), Policy: "fair", Rate: 2e6})
	sc := bufio.NewScanner(&buf)
	var n int
	for sc.Scan() {
		var r TraceRecord
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line %d: %v", n, err)
		}
		n++
	}
	if n != 2 {
		t.Fatalf("%d lines, want 2", n)
	}
}

func TestIntervalDue(t *testing.T) {
	iv := Interval{Every: 100 * time.Millisecond}
	var due int
	for ms := 0; ms <= 1000; ms++ {
		if iv.Due(t0.Add(time.Duration(ms) * time.Millisecond)) {
			due++
		}
	}
	if due != 10 {
		t.Fatalf("%d records in a second at 100ms, want 10", due)
	}
}
