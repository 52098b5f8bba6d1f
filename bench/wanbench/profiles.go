package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/swarm-project/swarm/bench/lab"
)

// Profile is one benchmark link, from docs/mission: rate, RTT, random loss.
type Profile struct {
	Name     string  `json:"name"`
	RateMbit float64 `json:"rate_mbit"`
	RTTms    float64 `json:"rtt_ms"`
	LossPct  float64 `json:"loss_pct"`
	QueueMs  float64 `json:"queue_ms"`
	// Repeat is the default number of runs of each tool.
	Repeat int `json:"-"`
}

// Path is the lab link of the profile.
func (p Profile) Path() lab.Path {
	return lab.Path{RateMbit: p.RateMbit, RTT: time.Duration(p.RTTms * float64(time.Millisecond)),
		LossPct: p.LossPct, QueueMs: p.QueueMs}
}

func (p Profile) String() string {
	return fmt.Sprintf("%s: %g Mbit/s, %g ms RTT, %g%% loss, %g ms queue", p.Name, p.RateMbit, p.RTTms, p.LossPct, p.QueueMs)
}

// HighestAccurateRate is the highest bottleneck rate in Mbit/s the lab
// emulates accurately on this machine (docs/wanlab.md), used by P4.
const HighestAccurateRate = 500

func profiles(p4Rate float64) []Profile {
	return []Profile{
		{Name: "P1", RateMbit: 100, RTTms: 100, LossPct: 0, QueueMs: 100, Repeat: 3},
		{Name: "P2", RateMbit: 100, RTTms: 100, LossPct: 1, QueueMs: 100, Repeat: 3},
		{Name: "P3", RateMbit: 100, RTTms: 200, LossPct: 2, QueueMs: 100, Repeat: 3},
		{Name: "P4", RateMbit: p4Rate, RTTms: 100, LossPct: 1, QueueMs: 100, Repeat: 3},
		{Name: "P5", RateMbit: 100, RTTms: 500, LossPct: 10, QueueMs: 100, Repeat: 1},
	}
}

func selectProfiles(all []Profile, names string) ([]Profile, error) {
	if names == "" || names == "all" {
		return all, nil
	}
	var out []Profile
	for _, n := range strings.Split(names, ",") {
		n = strings.ToUpper(strings.TrimSpace(n))
		found := false
		for _, p := range all {
			if p.Name == n {
				out = append(out, p)
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("unknown profile %q (want P1..P5)", n)
		}
	}
	return out, nil
}
