package ratectl_test

import (
	"slices"
	"testing"
	"time"

	"github.com/swarm-project/swarm/ratectl"
	"github.com/swarm-project/swarm/ratectl/linksim"
)

// BenchmarkLinkPauses reports fair's share of the goodput ceiling, its
// 95th-percentile queueing delay and its jitter estimate over 20 s alone
// on a path without jitter whose bottleneck pauses now and then
// (linksim.Link.PauseEvery), as the WAN lab's emulator does on a busy
// machine. Run with
//
//	go test -run '^$' -bench LinkPauses -benchtime 1x -v ./ratectl/
func BenchmarkLinkPauses(b *testing.B) {
	for range b.N {
		for _, c := range []struct {
			name string
			mbps float64
			rtt  time.Duration
			loss float64
		}{
			{"100M-100ms-1%", 100, 100 * time.Millisecond, 0.01},
			{"500M-100ms-1%", 500, 100 * time.Millisecond, 0.01},
		} {
			for _, st := range []time.Duration{0, 2 * time.Millisecond, 5 * time.Millisecond, 10 * time.Millisecond} {
				l := linksim.Link{Rate: ratectl.Mbps(c.mbps), RTT: c.rtt, Loss: c.loss, Seed: 1,
					PauseEvery: 70 * time.Millisecond, PauseFor: st}
				if st == 0 {
					l.PauseEvery = 0
				}
				got, s, ctl := fairAlone(b, l)
				q := slices.Clone(s.QueueDelay)
				slices.Sort(q)
				p95 := q[len(q)*95/100]
				b.Logf("%s pauses of %v every 70 ms: %.3f of the ceiling, p95 queue %v, jitter estimate %v",
					c.name, st, got, p95.Round(100*time.Microsecond), ctl.Snapshot().Jitter.Round(100*time.Microsecond))
			}
		}
	}
}
