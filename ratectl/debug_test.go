package ratectl_test

import (
	"os"
	"testing"
	"time"

	"github.com/swarm-project/swarm/ratectl"
	"github.com/swarm-project/swarm/ratectl/linksim"
)

func TestSimDebug(t *testing.T) {
	if os.Getenv("SIMDEBUG") == "" {
		t.Skip()
	}
	sc := scenario{link(20, 40*time.Millisecond, 0.0, 1), 5 * time.Second, 30 * time.Second}
	sim := linksim.New(sc.link)
	f := linksim.NewRateFlow(newCtl(t, ratectl.Config{Policy: ratectl.Fair}), simMSS)
	reno := linksim.NewReno(simMSS)
	var next time.Time
	f.Tracer = func(now time.Time, s ratectl.Snapshot) {
		if now.Before(next) {
			return
		}
		next = now.Add(500 * time.Millisecond)
		t.Logf("%6.2fs %-8s rate %7.2f Mbps reno %6.2f Mbps base %v srtt %v q %v", now.Sub(linksim.Epoch).Seconds(), s.Mode, s.Rate*8/1e6, reno.Cwnd()*1456*8/1e6/s.SRTT.Seconds(), s.BaseRTT, s.SRTT, s.QueueDelay)
	}
	sim.Add(f, 0, 0)
	sim.Add(reno, 0, 0)
	sim.Run(sc.duration)
}
