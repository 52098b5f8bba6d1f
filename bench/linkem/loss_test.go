package linkem

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestBernoulliLossRate(t *testing.T) {
	for _, p := range []float64{0, 0.01, 0.1} {
		r := rand.New(rand.NewPCG(1, 2))
		m := NewLossModel(LossSpec{Prob: p})
		lost := 0
		const n = 100000
		for range n {
			if m.Lose(r) {
				lost++
			}
		}
		checkFrac(t, "bernoulli", lost, n, p)
	}
}

// The simple Gilbert model derived from (mean loss, mean burst) must show
// that mean loss and that mean burst length.
func TestGilbertMeanLossAndBurst(t *testing.T) {
	spec := LossSpec{Prob: 0.02, MeanBurst: 4}
	if got := spec.MeanLoss(); math.Abs(got-0.02) > 1e-12 {
		t.Fatalf("MeanLoss = %v, want 0.02", got)
	}
	r := rand.New(rand.NewPCG(9, 9))
	m := NewLossModel(spec)
	const n = 400000
	lost, bursts, run := 0, 0, 0
	for range n {
		if m.Lose(r) {
			lost++
			run++
			continue
		}
		if run > 0 {
			bursts++
			run = 0
		}
	}
	if f := float64(lost) / n; math.Abs(f-0.02) > 0.002 {
		t.Errorf("loss fraction %.4f, want 0.02 ± 0.002", f)
	}
	if mb := float64(lost) / float64(bursts); math.Abs(mb-4) > 0.4 {
		t.Errorf("mean burst %.2f packets, want 4 ± 0.4", mb)
	}
}

func TestGilbertElliottExplicit(t *testing.T) {
	g := &GEParams{P: 0.01, R: 0.3, LossGood: 0.001, LossBad: 0.5}
	spec := LossSpec{Prob: 0.9, GE: g} // GE overrides Prob
	want := spec.MeanLoss()
	bad := 0.01 / 0.31
	if exp := bad*0.5 + (1-bad)*0.001; math.Abs(want-exp) > 1e-12 {
		t.Fatalf("MeanLoss = %v, want %v", want, exp)
	}
	r := rand.New(rand.NewPCG(3, 4))
	m := NewLossModel(spec)
	lost := 0
	const n = 400000
	for range n {
		if m.Lose(r) {
			lost++
		}
	}
	if f := float64(lost) / n; math.Abs(f-want) > 0.1*want {
		t.Errorf("loss fraction %.4f, want %.4f ± 10%%", f, want)
	}
}

func TestIndependentWhenBurstAtMostOne(t *testing.T) {
	if p := (LossSpec{Prob: 0.05, MeanBurst: 1}).Params(); p != nil {
		t.Errorf("MeanBurst 1 gave GE params %+v, want independent loss", p)
	}
	if _, ok := NewLossModel(LossSpec{Prob: 0.05}).(Bernoulli); !ok {
		t.Error("plain Prob did not give a Bernoulli model")
	}
}
