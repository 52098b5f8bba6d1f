//go:build wanlab

// Validation of the emulator against its configuration. These tests need
// root, iproute2 and /dev/net/tun; run them with
//
//	go test -tags wanlab ./bench/lab/
//
// (make test-wanlab). Tolerances are stated in each test and in
// docs/wanlab.md.
package lab_test

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/swarm-project/swarm/bench/lab"
	"github.com/swarm-project/swarm/bench/lab/probe"
	"github.com/swarm-project/swarm/bench/linkem"
)

func init() { lab.TuneProcess(1 << 30) }

func upLab(t *testing.T, seeders ...lab.LinkSpec) *lab.Lab {
	t.Helper()
	if err := lab.Check(); err != nil {
		t.Skipf("wan lab validation skipped: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	l, err := lab.Up(ctx, lab.Config{Seeders: seeders, Seed: 42, StateDir: t.TempDir()})
	if errors.Is(err, lab.ErrUnavailable) {
		t.Skipf("wan lab validation skipped: %v", err)
	}
	if err != nil {
		t.Fatalf("lab.Up: %v", err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			for _, s := range l.Stats() {
				t.Logf("link %s: %+v released %d refused %d", s.Name, s.Link, s.Released, s.Refused)
			}
		}
		if err := l.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return l
}

func open(t *testing.T, l *lab.Lab, n lab.Node, port int) *probe.Socket {
	t.Helper()
	s, err := probe.Open(l, n, port)
	if err != nil {
		t.Fatalf("probe.Open on %s: %v", n.Name, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func path(rate float64, rtt time.Duration, loss float64) lab.LinkSpec {
	return lab.Symmetric(lab.Path{RateMbit: rate, RTT: rtt, LossPct: loss}.Link())
}

// measureRTT returns the sorted RTTs of 40 small probes from d to seeder i.
func measureRTT(t *testing.T, l *lab.Lab, i int) []time.Duration {
	t.Helper()
	echo := open(t, l, l.Seeders[i], 7)
	go probe.Echo(echo)
	cli := open(t, l, l.Downloader, 0)
	rtts, err := probe.RTT(cli, echo.Addr, 40, 64, 10*time.Millisecond)
	if err != nil || len(rtts) != 40 {
		t.Fatalf("RTT probes: %d of 40 came back, err %v", len(rtts), err)
	}
	slices.Sort(rtts)
	return rtts
}

// RTT tolerance: every probe at least the configured RTT minus 0.2 ms
// (the release granularity), the median within 1.5 ms above it.
func checkRTT(t *testing.T, what string, rtts []time.Duration, want time.Duration) {
	t.Helper()
	med := rtts[len(rtts)/2]
	t.Logf("%s: RTT min %v median %v max %v (configured %v)", what, rtts[0], med, rtts[len(rtts)-1], want)
	if rtts[0] < want-200*time.Microsecond {
		t.Errorf("%s: RTT %v below the configured %v", what, rtts[0], want)
	}
	if med > want+1500*time.Microsecond {
		t.Errorf("%s: median RTT %v, want at most %v", what, med, want+1500*time.Microsecond)
	}
}

func TestRTT(t *testing.T) {
	for _, rtt := range []time.Duration{20 * time.Millisecond, 100 * time.Millisecond} {
		l := upLab(t, path(100, rtt, 0))
		checkRTT(t, rtt.String(), measureRTT(t, l, 0), rtt)
	}
}

// Loss over 20,000 packets must be within 5 binomial standard deviations of
// the configured ratio (about ±0.35 points at 1%).
func TestLossRatio(t *testing.T) {
	l := upLab(t, path(100, 10*time.Millisecond, 1))
	src, sink := open(t, l, l.Downloader, 0), open(t, l, l.Seeders[0], 9000)
	const n = 20000
	r, err := probe.Blast(src, sink, probe.BlastConfig{Rate: 20e6, Size: 200, Count: n}, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	sd := math.Sqrt(n * 0.01 * 0.99)
	lost := float64(r.Sent - r.Received)
	t.Logf("sent %d received %d: loss %.3f%% (configured 1%%)", r.Sent, r.Received, 100*r.Loss())

	if r.Sent != n || math.Abs(lost-n*0.01) > 5*sd {
		t.Errorf("lost %.0f of %d, want %.0f ± %.0f", lost, r.Sent, n*0.01, 5*sd)
	}
	if r.Reordered != 0 || r.Duplicates != 0 {
		t.Errorf("reordered %d duplicated %d, want none", r.Reordered, r.Duplicates)
	}
}

// Gilbert-Elliott: 2% mean loss in bursts of 4: measured loss within 20%
// of 2% and mean burst within 25% of 4 packets over 40,000 packets.
func TestBurstLoss(t *testing.T) {
	c := lab.Path{RateMbit: 100, RTT: 10 * time.Millisecond}.Link()
	c.Loss = linkem.LossSpec{Prob: 0.02, MeanBurst: 4}
	l := upLab(t, lab.Symmetric(c))
	src, sink := open(t, l, l.Downloader, 0), open(t, l, l.Seeders[0], 9000)
	r, err := probe.Blast(src, sink, probe.BlastConfig{Rate: 30e6, Size: 200, Count: 40000}, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("loss %.3f%%, mean burst %.2f packets", 100*r.Loss(), r.MeanBurst())
	if math.Abs(r.Loss()-0.02) > 0.004 || math.Abs(r.MeanBurst()-4) > 1 {
		t.Errorf("loss %.4f burst %.2f, want 0.02 ± 0.004 and 4 ± 1", r.Loss(), r.MeanBurst())
	}
}

// Throughput: offered 20% above the bottleneck for about 3 s, the receive
// rate in IP bits per second must be within 3% of the configured rate.
func TestUDPThroughput(t *testing.T) {
	for _, rate := range []float64{50, 100} {
		l := upLab(t, path(rate, 40*time.Millisecond, 0))
		checkThroughput(t, l, 0, rate, 3*time.Second)
	}
}

func checkThroughput(t *testing.T, l *lab.Lab, i int, rateMbit float64, d time.Duration) probe.Result {
	t.Helper()
	src, sink := open(t, l, l.Seeders[i], 0), open(t, l, l.Downloader, 9100+i)
	const size = 1372 // 1400 IP bytes
	offered := rateMbit * 1.2e6
	count := int(offered * d.Seconds() / (8 * (size + probe.IPUDPHeader)))
	r, err := probe.Blast(src, sink, probe.BlastConfig{Rate: int64(offered), Size: size, Count: count}, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	got := r.Rate() / 1e6
	t.Logf("seeder %d: configured %.0f Mbit/s, measured %.2f Mbit/s (IP), loss %.1f%%", i+1, rateMbit, got, 100*r.Loss())
	if math.Abs(got-rateMbit) > 0.03*rateMbit {
		t.Errorf("seeder %d: measured %.2f Mbit/s, want %.0f ± 3%%", i+1, got, rateMbit)
	}
	return r
}

// A star with three seeders on different links: each keeps its own RTT,
// and all three deliver their own rate to the downloader at once.
func TestStar(t *testing.T) {
	specs := []lab.LinkSpec{
		path(20, 40*time.Millisecond, 0),
		path(30, 80*time.Millisecond, 0),
		path(40, 120*time.Millisecond, 0),
	}
	l := upLab(t, specs...)
	for i, rtt := range []time.Duration{40, 80, 120} {
		checkRTT(t, l.Seeders[i].Name, measureRTT(t, l, i), rtt*time.Millisecond)
	}
	done := make(chan struct{})
	for i, rate := range []float64{20, 30, 40} {
		go func() {
			defer func() { done <- struct{}{} }()
			checkThroughput(t, l, i, rate, 2*time.Second)
		}()
	}
	for range 3 {
		<-done
	}
}

// Reordering and duplication appear in the stated proportions.
func TestReorderDuplicate(t *testing.T) {
	c := lab.Path{RateMbit: 100, RTT: 10 * time.Millisecond}.Link()
	c.Reorder, c.Duplicate = 0.02, 0.01
	l := upLab(t, lab.Symmetric(c))
	src, sink := open(t, l, l.Downloader, 0), open(t, l, l.Seeders[0], 9000)
	const n = 20000
	r, err := probe.Blast(src, sink, probe.BlastConfig{Rate: 20e6, Size: 200, Count: n}, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("reordered %d, duplicates %d of %d", r.Reordered, r.Duplicates, n)
	within := func(got int, p float64) bool { return math.Abs(float64(got)-n*p) <= 5*math.Sqrt(n*p*(1-p)) }
	if !within(r.Duplicates, 0.01) || r.Reordered < n/100 || r.Reordered > n*3/100 {
		t.Errorf("reordered %d (want 1%%..3%%), duplicates %d (want 1%%)", r.Reordered, r.Duplicates)
	}
}
