package ratectl_test

import (
	"testing"
	"time"

	"github.com/swarm-project/swarm/ratectl"
	"github.com/swarm-project/swarm/ratectl/linksim"
)

// BenchmarkJitter reports fair's share of the goodput ceiling over the
// first 20 s of a flow alone on paths with jitter (each direction, order
// kept, as the WAN lab's --jitter). It measures a known weakness (see
// docs/ratectl.md, "Jitter"): a delay-based controller reads jitter of
// its target's size as queue. Run with
//
//	go test -run '^$' -bench Jitter -benchtime 1x -v ./ratectl/
func BenchmarkJitter(b *testing.B) {
	for range b.N {
		for _, c := range benchPaths {
			for _, j := range []time.Duration{0, 2 * time.Millisecond, 5 * time.Millisecond, 10 * time.Millisecond, 20 * time.Millisecond} {
				l := c.link()
				l.Jitter = j
				got, _, _ := fairAlone(b, l)
				b.Logf("%s jitter ±%v: %.3f of the goodput ceiling over 20 s", c.name, j, got)
			}
		}
	}
}

// benchPath is a path the simulator benchmarks run fair alone on.
type benchPath struct {
	name string
	mbps float64
	rtt  time.Duration
	loss float64
}

var benchPaths = []benchPath{
	{"100M-100ms-1%", 100, 100 * time.Millisecond, 0.01},
	{"500M-100ms-1%", 500, 100 * time.Millisecond, 0.01},
	{"100M-500ms-10%", 100, 500 * time.Millisecond, 0.10},
	{"20M-40ms-0%", 20, 40 * time.Millisecond, 0},
}

func (p benchPath) link() linksim.Link {
	return linksim.Link{Rate: ratectl.Mbps(p.mbps), RTT: p.rtt, Loss: p.loss, Seed: 1}
}

// fairAlone runs fair alone for 20 s on l with a buffer of 100 ms at its
// rate; it returns the share of the goodput ceiling delivered, the flow's
// statistics and its controller.
func fairAlone(tb testing.TB, l linksim.Link) (float64, linksim.FlowStats, ratectl.Controller) {
	l.Buffer = int(l.Rate / 10)
	sim := linksim.New(l)
	ctl := newCtl(tb, ratectl.Config{Policy: ratectl.Fair})
	sim.Add(linksim.NewRateFlow(ctl, simMSS), 0, 0)
	sim.Run(20 * time.Second)
	st := sim.Stats(0)
	return float64(st.Delivered) / (l.Rate * (1 - l.Loss) * 20), st, ctl
}
