package linkem

import (
	"errors"
	"math"
	"testing"
	"time"
)

const (
	mbit = 1_000_000
	mtu  = 1500
)

func mustLink(t *testing.T, cfg Config, seed uint64) *Link {
	t.Helper()
	l, err := New(cfg, seed)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return l
}

func TestTxTime(t *testing.T) {
	cases := []struct {
		size int
		rate int64
		want time.Duration
	}{
		{1500, 100 * mbit, 120 * time.Microsecond},
		{1500, 1000 * mbit, 12 * time.Microsecond},
		{64, 8 * mbit, 64 * time.Microsecond},
		{1500, 0, 0},
	}
	for _, c := range cases {
		if got := TxTime(c.size, c.rate); got != c.want {
			t.Errorf("TxTime(%d, %d) = %v, want %v", c.size, c.rate, got, c.want)
		}
	}
}

func TestValidate(t *testing.T) {
	bad := []Config{
		{Rate: -1},
		{Delay: -time.Millisecond},
		{QueueBytes: -5},
		{Reorder: 1.5},
		{Duplicate: -0.1},
		{Loss: LossSpec{Prob: 2}},
		{Loss: LossSpec{GE: &GEParams{P: 0, R: 0}}},
		{Loss: LossSpec{GE: &GEParams{P: 0.1, R: 0.5, LossBad: 1.2}}},
	}
	for i, c := range bad {
		if _, err := New(c, 1); !errors.Is(err, ErrConfig) {
			t.Errorf("case %d: err = %v, want ErrConfig", i, err)
		}
	}
	if _, err := New(Config{Rate: 100 * mbit, Delay: 50 * time.Millisecond}, 1); err != nil {
		t.Errorf("valid config rejected: %v", err)
	}
}

func TestQueueLimit(t *testing.T) {
	cases := []struct {
		cfg  Config
		want int64
	}{
		{Config{Rate: 100 * mbit, QueueDelay: 100 * time.Millisecond}, 1_250_000},
		{Config{Rate: 100 * mbit, QueueBytes: 5000, QueueDelay: time.Second}, 5000},
		{Config{Rate: 100 * mbit, Delay: 50 * time.Millisecond}, 1_250_000},
		{Config{Rate: mbit, Delay: time.Millisecond}, 64 << 10},
		{Config{Delay: time.Second}, 0},
	}
	for i, c := range cases {
		if got := c.cfg.QueueLimit(); got != c.want {
			t.Errorf("case %d: QueueLimit = %d, want %d", i, got, c.want)
		}
	}
}

func TestUncongestedDelay(t *testing.T) {
	l := mustLink(t, Config{Rate: 100 * mbit, Delay: 50 * time.Millisecond}, 1)
	for i := range 100 {
		now := time.Duration(i) * time.Millisecond
		v := l.Send(now, mtu)
		want := now + 120*time.Microsecond + 50*time.Millisecond
		if v.Fate != Deliver || v.Due != want {
			t.Fatalf("packet %d: %+v, want deliver at %v", i, v, want)
		}
	}
}

func TestSerialisationSpacesABurst(t *testing.T) {
	l := mustLink(t, Config{Rate: 100 * mbit, Delay: 10 * time.Millisecond, QueueBytes: 1 << 30}, 1)
	var prev time.Duration
	for i := range 1000 {
		v := l.Send(0, mtu)
		if i > 0 && v.Due-prev != 120*time.Microsecond {
			t.Fatalf("packet %d spaced %v after the previous, want 120µs", i, v.Due-prev)
		}
		prev = v.Due
	}
	if want := 10*time.Millisecond + 1000*120*time.Microsecond; prev != want {
		t.Errorf("last due %v, want %v", prev, want)
	}
}

func TestDropTail(t *testing.T) {
	// 10 ms at 100 Mbit/s is 125,000 bytes: 83 full packets fit.
	l := mustLink(t, Config{Rate: 100 * mbit, QueueDelay: 10 * time.Millisecond}, 1)
	accepted := 0
	for range 200 {
		if l.Send(0, mtu).Fate == Deliver {
			accepted++
		}
	}
	if accepted != 83 {
		t.Errorf("accepted %d packets of a burst, want 83", accepted)
	}
	if s := l.Stats(); s.DroppedQueue != 117 || s.MaxQueueBytes > 125_000 {
		t.Errorf("stats %+v, want 117 queue drops and max queue <= 125000", s)
	}
	// After one packet time, exactly one more fits.
	now := 120 * time.Microsecond
	if l.Send(now, mtu).Fate != Deliver || l.Send(now, mtu).Fate != DropQueue {
		t.Errorf("queue did not drain by one packet per 120µs")
	}
}

// An overloaded link delivers at its rate: offered 200 Mbit/s for one
// simulated second, it delivers 100 Mbit/s plus at most one queue.
func TestOverloadDeliversRate(t *testing.T) {
	cfg := Config{Rate: 100 * mbit, Delay: 20 * time.Millisecond, QueueDelay: 20 * time.Millisecond}
	l := mustLink(t, cfg, 1)
	var delivered int64
	gap := 60 * time.Microsecond // 1500 B every 60 µs = 200 Mbit/s
	for now := time.Duration(0); now < time.Second; now += gap {
		if v := l.Send(now, mtu); v.Fate == Deliver && v.Due <= time.Second+cfg.Delay {
			delivered += mtu
		}
	}
	want := int64(100 * mbit / 8)
	if delivered < want-2*mtu || delivered > want+2*mtu {
		t.Errorf("delivered %d bytes in 1 s, want %d ± 2 packets", delivered, want)
	}
}

func TestDeterministicForSeed(t *testing.T) {
	cfg := Config{Rate: 50 * mbit, Delay: 30 * time.Millisecond, Jitter: 5 * time.Millisecond,
		Loss: LossSpec{Prob: 0.05, MeanBurst: 3}, Reorder: 0.01, Duplicate: 0.01}
	run := func(seed uint64) []Verdict {
		l := mustLink(t, cfg, seed)
		out := make([]Verdict, 0, 2000)
		for i := range 2000 {
			out = append(out, l.Send(time.Duration(i)*200*time.Microsecond, mtu))
		}
		return out
	}
	a, b, c := run(7), run(7), run(8)
	same := true
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("same seed differs at packet %d: %+v vs %+v", i, a[i], b[i])
		}
		same = same && a[i] == c[i]
	}
	if same {
		t.Error("different seeds gave identical runs")
	}
}

func TestJitterKeepsOrder(t *testing.T) {
	cfg := Config{Delay: 50 * time.Millisecond, Jitter: 10 * time.Millisecond}
	l := mustLink(t, cfg, 3)
	var prev time.Duration
	for i := range 20000 {
		v := l.Send(time.Duration(i)*100*time.Microsecond, mtu)
		if v.Due < prev {
			t.Fatalf("packet %d due %v before previous %v", i, v.Due, prev)
		}
		prev = v.Due
	}
}

// Packets further apart than twice the jitter are never clamped, so their
// delay is uniform in [Delay-Jitter, Delay+Jitter].
func TestJitterDistribution(t *testing.T) {
	cfg := Config{Delay: 50 * time.Millisecond, Jitter: 10 * time.Millisecond}
	l := mustLink(t, cfg, 3)
	var sum time.Duration
	lo, hi := time.Hour, time.Duration(0)
	const n = 20000
	for i := range n {
		now := time.Duration(i) * 25 * time.Millisecond
		d := l.Send(now, mtu).Due - now
		sum += d
		lo, hi = min(lo, d), max(hi, d)
	}
	if lo < 40*time.Millisecond || lo > 41*time.Millisecond || hi > 60*time.Millisecond || hi < 59*time.Millisecond {
		t.Errorf("delay range [%v, %v], want about [40ms, 60ms]", lo, hi)
	}
	if mean := sum / n; mean < 49800*time.Microsecond || mean > 50200*time.Microsecond {
		t.Errorf("mean delay %v, want 50ms ± 0.2ms", mean)
	}
}

func TestReorderAndDuplicate(t *testing.T) {
	cfg := Config{Delay: 10 * time.Millisecond, Reorder: 0.02, Duplicate: 0.03}
	l := mustLink(t, cfg, 5)
	const n = 50000
	var overtaken, dups int
	var prevDue time.Duration
	for i := range n {
		v := l.Send(time.Duration(i)*100*time.Microsecond, mtu)
		if v.Due < prevDue {
			overtaken++
		}
		prevDue = v.Due
		if v.Dup {
			dups++
		}
	}
	s := l.Stats()
	checkFrac(t, "reordered", int(s.Reordered), n, 0.02)
	checkFrac(t, "duplicated", dups, n, 0.03)
	// A held-back packet (5 ms) is overtaken by the next ones (0.1 ms apart).
	checkFrac(t, "overtaken", overtaken, n, 0.02)
	if s.Delivered != n+uint64(dups) {
		t.Errorf("delivered %d, want %d", s.Delivered, n+dups)
	}
}

// checkFrac fails unless count/n is within 5 binomial standard deviations
// of p.
func checkFrac(t *testing.T, what string, count, n int, p float64) {
	t.Helper()
	sd := math.Sqrt(float64(n) * p * (1 - p))
	if d := math.Abs(float64(count) - float64(n)*p); d > 5*sd {
		t.Errorf("%s: %d of %d, want %.0f ± %.0f", what, count, n, float64(n)*p, 5*sd)
	}
}

// With JitterReorders each packet keeps its own delay, as netem's: packets
// 100 µs apart with ±10 ms of jitter overtake each other often, and no
// packet is held beyond its own delay.
func TestJitterReorders(t *testing.T) {
	cfg := Config{Delay: 50 * time.Millisecond, Jitter: 10 * time.Millisecond, JitterReorders: true}
	l := mustLink(t, cfg, 3)
	var prev time.Duration
	overtaken := 0
	const n = 20000
	for i := range n {
		now := time.Duration(i) * 100 * time.Microsecond
		v := l.Send(now, mtu)
		if d := v.Due - now; d < 40*time.Millisecond || d > 60*time.Millisecond {
			t.Fatalf("packet %d delayed %v, want within [40ms, 60ms]", i, d)
		}
		if v.Due < prev {
			overtaken++
		}
		prev = v.Due
	}
	if overtaken < n/4 {
		t.Errorf("%d of %d packets overtook the one before, want many", overtaken, n)
	}
}

// Reordering still holds packets back when jitter reorders too.
func TestJitterReordersKeepsReorder(t *testing.T) {
	cfg := Config{Delay: 10 * time.Millisecond, Jitter: time.Millisecond, JitterReorders: true, Reorder: 0.5}
	l := mustLink(t, cfg, 3)
	for i := range 10000 {
		l.Send(time.Duration(i)*time.Millisecond, mtu)
	}
	if s := l.Stats(); s.Reordered < 4500 || s.Reordered > 5500 {
		t.Fatalf("%d of 10000 packets held back, want about half", s.Reordered)
	}
}
