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
		for _, c := range []struct {
			name string
			mbps float64
			rtt  time.Duration
			loss float64
		}{
			{"100M-100ms-1%", 100, 100 * time.Millisecond, 0.01},
			{"500M-100ms-1%", 500, 100 * time.Millisecond, 0.01},
			{"100M-500ms-10%", 100, 500 * time.Millisecond, 0.10},
			{"20M-40ms-0%", 20, 40 * time.Millisecond, 0},
		} {
			for _, j := range []time.Duration{0, 2 * time.Millisecond, 5 * time.Millisecond, 10 * time.Millisecond, 20 * time.Millisecond} {
				l := linksim.Link{Rate: ratectl.Mbps(c.mbps), RTT: c.rtt, Loss: c.loss, Seed: 1, Jitter: j}
				l.Buffer = int(l.Rate / 10)
				sim := linksim.New(l)
				sim.Add(linksim.NewRateFlow(newCtl(b, ratectl.Config{Policy: ratectl.Fair}), simMSS), 0, 0)
				sim.Run(20 * time.Second)
				got := float64(sim.Stats(0).Delivered) / (l.Rate * (1 - c.loss) * 20)
				b.Logf("%s jitter ±%v: %.3f of the goodput ceiling over 20 s", c.name, j, got)
			}
		}
	}
}
