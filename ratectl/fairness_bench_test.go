package ratectl_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/swarm-project/swarm/ratectl"
	"github.com/swarm-project/swarm/ratectl/linksim"
)

// competitors are the TCP models the fairness matrix runs fair against.
var competitors = []struct {
	name string
	mk   func() linksim.Sender
}{
	{"bbr", func() linksim.Sender { return linksim.NewBBR(simMSS) }},
	{"cubic", func() linksim.Sender { return linksim.NewCubic(simMSS) }},
	{"reno", func() linksim.Sender { return linksim.NewReno(simMSS) }},
}

// BenchmarkFairnessMatrix runs fair against each TCP model over a grid of
// links (20 and 100 Mbit/s; 20, 50 and 150 ms; buffers of 0.5, 1 and 2
// BDP), starting together and starting 5 s after TCP, and reports how many
// of the runs leave either flow under a third of what both got, and the
// smallest share fair got. -v logs fair's share of every run. See
// docs/ratectl.md, "Sharing with BBR".
func BenchmarkFairnessMatrix(b *testing.B) {
	for range b.N {
		unfair, runs, minOurs := 0, 0, 1.0
		for _, mbps := range []float64{20, 100} {
			for _, rtt := range []time.Duration{20 * time.Millisecond, 50 * time.Millisecond, 150 * time.Millisecond} {
				for _, bdps := range []float64{0.5, 1, 2} {
					sc := scenario{link(mbps, rtt, 0, bdps), 15 * time.Second, 65 * time.Second}
					line := fmt.Sprintf("%3.0fM %3dms %.1f BDP:", mbps, rtt.Milliseconds(), bdps)
					for _, late := range []bool{false, true} {
						for _, c := range competitors {
							join := time.Duration(0)
							if late {
								join = 5 * time.Second
							}
							ours, theirs := runJoining(b, sc, ratectl.Config{Policy: ratectl.Fair}, c.mk(), join)
							share := ours.share / (ours.share + theirs.share)
							runs++
							minOurs = min(minOurs, share)
							mark := " "
							if share < 1.0/3 || share > 2.0/3 {
								unfair++
								mark = "*"
							}
							line += fmt.Sprintf(" %s %.2f%s", c.name, share, mark)
						}
						line += " |"
					}
					b.Log(line)
				}
			}
		}
		b.ReportMetric(float64(unfair), "unfair-runs")
		b.ReportMetric(float64(runs), "runs")
		b.ReportMetric(minOurs, "min-fair-share")
	}
}
