package ratectl_test

import (
	"testing"
	"time"

	"github.com/swarm-project/swarm/ratectl"
	"github.com/swarm-project/swarm/ratectl/linksim"
)

const simMSS = 1400

// scenario is one simulated run: a link, flows and a measurement window.
type scenario struct {
	link     linksim.Link
	warmup   time.Duration // excluded from the statistics
	duration time.Duration
}

// result summarises one flow over the measurement window.
type result struct {
	share    float64       // delivered bytes over link capacity
	p95Queue time.Duration // 95th percentile queueing delay of its packets
	sentRate float64       // bytes/s offered
}

func (sc scenario) window() float64 { return (sc.duration - sc.warmup).Seconds() }

func (sc scenario) result(sim *linksim.Sim, i int) result {
	st := sim.Stats(i)
	w := sc.window()
	return result{
		share:    float64(st.Delivered) / (sc.link.Rate * w),
		p95Queue: linksim.Percentile(st.QueueDelay, 0.95),
		sentRate: float64(st.Sent) / w,
	}
}

func newCtl(t testing.TB, cfg ratectl.Config) ratectl.Controller {
	t.Helper()
	c, err := ratectl.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// bdpBuffer returns a link with a drop-tail buffer of n bandwidth-delay
// products.
func link(mbps float64, rtt time.Duration, loss, bdps float64) linksim.Link {
	l := linksim.Link{Rate: ratectl.Mbps(mbps), RTT: rtt, Loss: loss, Seed: 1}
	l.Buffer = max(int(bdps*float64(l.BDP())), 64<<10)
	return l
}

// runAlone runs one controller alone on the link.
func runAlone(t testing.TB, sc scenario, cfg ratectl.Config) result {
	sim := linksim.New(sc.link)
	sim.Add(linksim.NewRateFlow(newCtl(t, cfg), simMSS), 0, 0)
	sim.MeasureFrom(sc.warmup)
	sim.Run(sc.duration)
	return sc.result(sim, 0)
}

// runVs runs a controller against a TCP model started at the same time.
func runVs(t testing.TB, sc scenario, cfg ratectl.Config, tcp linksim.Sender) (ours, theirs result) {
	sim := linksim.New(sc.link)
	sim.Add(linksim.NewRateFlow(newCtl(t, cfg), simMSS), 0, 0)
	sim.Add(tcp, 0, 0)
	sim.MeasureFrom(sc.warmup)
	sim.Run(sc.duration)
	return sc.result(sim, 0), sc.result(sim, 1)
}

func TestSimExplore(t *testing.T) {
	profiles := []struct {
		name string
		sc   scenario
	}{
		{"P1 100M 100ms 0%", scenario{link(100, 100*time.Millisecond, 0, 1), 5 * time.Second, 30 * time.Second}},
		{"P2 100M 100ms 1%", scenario{link(100, 100*time.Millisecond, 0.01, 1), 5 * time.Second, 30 * time.Second}},
		{"P3 100M 200ms 2%", scenario{link(100, 200*time.Millisecond, 0.02, 1), 8 * time.Second, 30 * time.Second}},
		{"P5 100M 500ms 10%", scenario{link(100, 500*time.Millisecond, 0.10, 1), 15 * time.Second, 45 * time.Second}},
	}
	for _, p := range profiles {
		start := time.Now()
		r := runAlone(t, p.sc, ratectl.Config{Policy: ratectl.Fair})
		t.Logf("%s fair: util %.3f p95q %v (%v)", p.name, r.share, r.p95Queue, time.Since(start))
	}
	sc := scenario{link(20, 40*time.Millisecond, 0, 1), 10 * time.Second, 60 * time.Second}
	for _, pol := range []ratectl.Policy{ratectl.Fair, ratectl.High, ratectl.Low} {
		o, th := runVs(t, sc, ratectl.Config{Policy: pol}, linksim.NewReno(simMSS))
		t.Logf("%v vs reno: ours %.3f reno %.3f p95q %v", pol, o.share, th.share, o.p95Queue)
		o, th = runVs(t, sc, ratectl.Config{Policy: pol}, linksim.NewCubic(simMSS))
		t.Logf("%v vs cubic: ours %.3f cubic %.3f p95q %v", pol, o.share, th.share, o.p95Queue)
	}
	r := runAlone(t, profiles[1].sc, ratectl.Config{Policy: ratectl.Fixed, TargetRate: ratectl.Mbps(50)})
	t.Logf("fixed 50M: sent %.2f Mbps util %.3f", r.sentRate*8/1e6, r.share)
}

func TestSimExploreShare(t *testing.T) {
	for _, l := range []linksim.Link{
		link(20, 40*time.Millisecond, 0, 1), link(20, 40*time.Millisecond, 0, 2), link(20, 40*time.Millisecond, 0, 0.5),
		link(50, 80*time.Millisecond, 0, 1), link(10, 20*time.Millisecond, 0, 1), link(20, 40*time.Millisecond, 0.001, 1),
	} {
		sc := scenario{l, 10 * time.Second, 60 * time.Second}
		for _, pol := range []ratectl.Policy{ratectl.Fair, ratectl.High, ratectl.Low} {
			o, th := runVs(t, sc, ratectl.Config{Policy: pol}, linksim.NewReno(simMSS))
			o2, th2 := runVs(t, sc, ratectl.Config{Policy: pol}, linksim.NewCubic(simMSS))
			t.Logf("%4.0fM %v buf %4.1fbdp loss %v %v: vs reno %.2f/%.2f vs cubic %.2f/%.2f", l.Rate*8/1e6, l.RTT, float64(l.Buffer)/float64(l.BDP()), l.Loss, pol, o.share, th.share, o2.share, th2.share)
		}
	}
}
