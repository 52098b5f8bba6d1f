package main

import "testing"

func TestSummariseMedians(t *testing.T) {
	runs := []Measurement{
		{Tool: "x", Bytes: 1, GoodputMbps: 10, RetransPct: 1},
		{Tool: "x", Bytes: 1, GoodputMbps: 30, RetransPct: 3, TimedOut: true},
		{Tool: "x", Bytes: 1, GoodputMbps: 20, RetransPct: 2},
		{Tool: "x", Error: "boom"},
	}
	s := summarise("x", runs)
	if s.GoodputMbps != 20 || s.RetransPct != 2 || s.Runs != 4 || s.Failed != 1 || s.TimedOut != 1 || s.Note != "boom" {
		t.Errorf("summary %+v", s)
	}
	even := summarise("y", runs[:2])
	if even.GoodputMbps != 20 {
		t.Errorf("median of 10 and 30 = %v, want 20", even.GoodputMbps)
	}
	if none := summarise("z", runs[3:]); none.RetransPct != -1 || ok(none) {
		t.Errorf("all-failed summary %+v", none)
	}
}

func TestFinish(t *testing.T) {
	m := Measurement{Bytes: 1e9, Seconds: 100, WallSeconds: 160, SenderCPU: 2, ReceiverCPU: 4}
	m.finish(100, 1.05e9, 1e7)
	if m.GoodputMbps != 80 || m.GoodputPct != 80 || m.WallGoodputMbps != 50 || m.SenderCPUPerGB != 2 || m.RecvCPUPerGB != 4 {
		t.Errorf("figures %+v", m)
	}
	if m.RetransPct != 1 || m.WireOverheadPct < 4.99 || m.WireOverheadPct > 5.01 {
		t.Errorf("retrans %v wire %v, want 1 and 5", m.RetransPct, m.WireOverheadPct)
	}
}

func TestPickAddr(t *testing.T) {
	id := swarmID{ID: "Qm", Addrs: []string{
		"/ip4/127.0.0.1/udp/1/quic-v1",
		"/ip4/10.77.0.11/tcp/4001",
		"/ip4/10.77.0.11/udp/4002/quic-v1",
		"/ip4/10.77.0.11/udp/4003/swarm",
	}}
	if got := pickAddr(id, "10.77.0.11", true); got != "/ip4/10.77.0.11/udp/4002/quic-v1/p2p/Qm" {
		t.Errorf("quic: %s", got)
	}
	if got := pickAddr(id, "10.77.0.11", false); got != "/ip4/10.77.0.11/udp/4003/swarm/p2p/Qm" {
		t.Errorf("default: %s", got)
	}
	if got := pickAddr(swarmID{Addrs: []string{"/ip4/10.77.0.11/tcp/1"}}, "10.77.0.11", true); got != "" {
		t.Errorf("quic without a QUIC address: %q", got)
	}
}

func TestSelectProfilesAndTools(t *testing.T) {
	ps, err := selectProfiles(profiles(500), "p2,P4")
	if err != nil || len(ps) != 2 || ps[1].RateMbit != 500 {
		t.Fatalf("profiles %+v err %v", ps, err)
	}
	if _, err := selectProfiles(profiles(500), "P9"); err == nil {
		t.Error("unknown profile accepted")
	}
	tools, skipped := selectTools("all", map[string]bool{"nginx": true})
	if len(tools) != 4 || len(skipped) != 2 {
		t.Errorf("tools %d skipped %v, want 4 and curl, aria2c", len(tools), skipped)
	}
}

func TestCheckComplete(t *testing.T) {
	r := &ProfileResult{Runs: []Measurement{{Tool: "a", Bytes: 100}}}
	if err := checkComplete(r, 100); err != nil {
		t.Errorf("complete run rejected: %v", err)
	}
	r.Runs = append(r.Runs, Measurement{Tool: "b", Bytes: 100, TimedOut: true}, Measurement{Tool: "c", Bytes: 50})
	if err := checkComplete(r, 100); err == nil {
		t.Error("time-boxed and short runs accepted")
	}
}
