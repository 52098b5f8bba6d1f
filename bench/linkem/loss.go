package linkem

import (
	"fmt"
	"math/rand/v2"
)

// LossSpec selects a loss model.
//
// With only Prob set, each packet is lost independently with probability
// Prob. With MeanBurst > 1, a simple Gilbert model with the same mean loss
// Prob and mean burst length MeanBurst packets is used (every packet in the
// bad state is lost, none in the good state). GE, when non-nil, gives the
// four Gilbert-Elliott parameters directly and overrides the rest.
type LossSpec struct {
	Prob      float64
	MeanBurst float64
	GE        *GEParams
}

// GEParams are the Gilbert-Elliott two-state parameters, all per packet:
// P is the probability of going from good to bad, R from bad to good,
// LossGood and LossBad the loss probabilities in each state.
type GEParams struct {
	P, R, LossGood, LossBad float64
}

// Validate checks the probabilities.
func (s LossSpec) Validate() error {
	if s.GE != nil {
		g := *s.GE
		if !isProb(g.P) || !isProb(g.R) || !isProb(g.LossGood) || !isProb(g.LossBad) {
			return fmt.Errorf("%w: Gilbert-Elliott parameters must be in [0,1]", ErrConfig)
		}
		if g.P+g.R == 0 {
			return fmt.Errorf("%w: Gilbert-Elliott P and R both zero", ErrConfig)
		}
		return nil
	}
	if !isProb(s.Prob) || s.Prob == 1 && s.MeanBurst > 1 {
		return fmt.Errorf("%w: loss probability %v", ErrConfig, s.Prob)
	}
	if s.MeanBurst < 0 {
		return fmt.Errorf("%w: negative mean burst", ErrConfig)
	}
	return nil
}

// Params returns the Gilbert-Elliott parameters equivalent to the spec, or
// nil for independent loss.
func (s LossSpec) Params() *GEParams {
	if s.GE != nil {
		g := *s.GE
		return &g
	}
	if s.MeanBurst <= 1 || s.Prob == 0 {
		return nil
	}
	r := 1 / s.MeanBurst
	return &GEParams{P: s.Prob * r / (1 - s.Prob), R: r, LossBad: 1}
}

// MeanLoss is the stationary loss probability of the model.
func (s LossSpec) MeanLoss() float64 {
	g := s.Params()
	if g == nil {
		return s.Prob
	}
	bad := g.P / (g.P + g.R)
	return bad*g.LossBad + (1-bad)*g.LossGood
}

// LossModel decides per packet whether it is lost.
type LossModel interface {
	Lose(r *rand.Rand) bool
}

// NewLossModel builds the model the spec describes.
func NewLossModel(s LossSpec) LossModel {
	if g := s.Params(); g != nil {
		return &GilbertElliott{Params: *g}
	}
	return Bernoulli(s.Prob)
}

// Bernoulli loses each packet independently with the given probability.
type Bernoulli float64

// Lose implements LossModel.
func (b Bernoulli) Lose(r *rand.Rand) bool {
	return b > 0 && r.Float64() < float64(b)
}

// GilbertElliott is the two-state bursty loss model. It starts in the good
// state; the state moves once per packet, after the loss decision.
type GilbertElliott struct {
	Params GEParams
	Bad    bool
}

// Lose implements LossModel.
func (g *GilbertElliott) Lose(r *rand.Rand) bool {
	p := g.Params.LossGood
	if g.Bad {
		p = g.Params.LossBad
	}
	lost := p > 0 && r.Float64() < p
	if g.Bad {
		g.Bad = r.Float64() >= g.Params.R
	} else {
		g.Bad = r.Float64() < g.Params.P
	}
	return lost
}
