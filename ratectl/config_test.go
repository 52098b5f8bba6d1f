package ratectl

import (
	"errors"
	"math"
	"testing"
	"time"
)

func TestConfigValidate(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
		want error
	}{
		{"fair defaults", Config{Policy: Fair}, nil},
		{"fixed with target", Config{Policy: Fixed, TargetRate: 1e6}, nil},
		{"fixed without target", Config{Policy: Fixed}, ErrBadRate},
		{"no policy", Config{}, ErrUnknownPolicy},
		{"unknown policy", Config{Policy: 99}, ErrUnknownPolicy},
		{"negative target", Config{Policy: Fair, TargetRate: -1}, ErrBadRate},
		{"min above target", Config{Policy: Low, TargetRate: 10, MinRate: 20}, ErrBadRate},
	}
	for _, c := range cases {
		err := c.cfg.Validate()
		if !errors.Is(err, c.want) || (c.want == nil) != (err == nil) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
		if _, nerr := New(c.cfg); (nerr == nil) != (c.want == nil) {
			t.Errorf("%s: New error %v, Validate %v", c.name, nerr, err)
		}
	}
}

func TestParsePolicy(t *testing.T) {
	for _, p := range []Policy{Fixed, Fair, High, Low} {
		got, err := ParsePolicy(p.String())
		if err != nil || got != p {
			t.Errorf("ParsePolicy(%q) = %v, %v", p.String(), got, err)
		}
	}
	if _, err := ParsePolicy("FAIR"); err != nil {
		t.Errorf("case-insensitive parse failed: %v", err)
	}
	if _, err := ParsePolicy("fast"); !errors.Is(err, ErrUnknownPolicy) {
		t.Errorf("unknown policy: %v", err)
	}
}

func TestDefaults(t *testing.T) {
	c := Config{Policy: Fair, TargetRate: 1000}.withDefaults()
	if c.MinRate != 1000 || c.InitialRate != 1000 || c.MSS != DefaultMSS {
		t.Errorf("defaults under a small target: %+v", c)
	}
}

// With Header set the rates are of payload: a controller paces whole
// packets, headers on top, at the packet size SetMSS last gave it.
func TestRatesOfPayload(t *testing.T) {
	for _, p := range []Policy{Fixed, Fair} {
		ctl, err := New(Config{Policy: p, TargetRate: 1e6, MinRate: 1e6, MSS: 1444, Header: 28})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := ctl.Rate(), 1e6*1472/1444; math.Abs(got-want) > 1e-6 {
			t.Errorf("%v: rate %.1f, want %.1f", p, got, want)
		}
		ctl.SetMSS(1172)
		ctl.OnAck(time.Unix(1, 0), AckSample{AckedBytes: 1200, RTT: 50 * time.Millisecond, DeliveryRate: 1e6})
		if got, want := ctl.Rate(), 1e6*1200/1172; math.Abs(got-want) > 1e-6 {
			t.Errorf("%v: rate %.1f after SetMSS(1172), want %.1f", p, got, want)
		}
	}
}
