package ratectl_test

import (
	"testing"
	"time"

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
		for _, c := range benchPaths[:2] { // 100 and 500 Mbit/s at 100 ms, 1 %
			for _, st := range []time.Duration{0, 2 * time.Millisecond, 5 * time.Millisecond, 10 * time.Millisecond} {
				l := c.link()
				if st > 0 {
					l.PauseEvery, l.PauseFor = 70*time.Millisecond, st
				}
				got, s, ctl := fairAlone(b, l)
				p95 := linksim.Percentile(s.QueueDelay, 0.95)
				b.Logf("%s pauses of %v every 70 ms: %.3f of the ceiling, p95 queue %v, jitter estimate %v",
					c.name, st, got, p95.Round(100*time.Microsecond), ctl.Snapshot().Jitter.Round(100*time.Microsecond))
			}
		}
	}
}
