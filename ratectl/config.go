package ratectl

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Policy selects how a controller reacts to the path.
type Policy uint8

// Policies.
const (
	// Fixed holds TargetRate whatever the path does.
	Fixed Policy = iota + 1
	// Fair fills the path while the queue it builds stays small; it ignores
	// random loss and turns loss-based (Reno-like) when a buffer-filling
	// flow holds the queue, so that it shares with TCP.
	Fair
	// High is Fair with a larger delay budget and twice the aggressiveness
	// against competing flows: about twice a fair share.
	High
	// Low is a scavenger (LEDBAT-like): it uses spare capacity and yields
	// to every other flow as soon as a queue builds.
	Low
)

var policyNames = map[Policy]string{Fixed: "fixed", Fair: "fair", High: "high", Low: "low"}

func (p Policy) String() string {
	if s, ok := policyNames[p]; ok {
		return s
	}
	return fmt.Sprintf("policy(%d)", uint8(p))
}

// ParsePolicy parses "fixed", "fair", "high" or "low".
func ParsePolicy(s string) (Policy, error) {
	for p, name := range policyNames {
		if strings.EqualFold(s, name) {
			return p, nil
		}
	}
	return 0, fmt.Errorf("%w: %q", ErrUnknownPolicy, s)
}

// Errors returned by Config.Validate and New.
var (
	ErrUnknownPolicy = errors.New("ratectl: unknown policy")
	ErrBadRate       = errors.New("ratectl: invalid rate")
)

// Config configures a controller. Rates are bytes per second.
type Config struct {
	Policy Policy
	// TargetRate is the rate Fixed holds and the ceiling of the other
	// policies; 0 means no ceiling (not allowed for Fixed).
	TargetRate float64
	// MinRate is the floor of every policy (Aspera's -m); 0 lets adaptive
	// policies fall to DefaultMinRate.
	MinRate float64
	// InitialRate is the rate before the first measurement; 0 means
	// DefaultInitialRate (capped by TargetRate).
	InitialRate float64
	// MSS is the payload size of a full packet, used for additive steps.
	// 0 means DefaultMSS.
	MSS int
	// Header is what each full packet carries beyond MSS that the rates
	// above leave out: with it, TargetRate and MinRate (not InitialRate)
	// are rates of payload, and the controller paces whole packets at
	// rate × (MSS+Header)/MSS, following MSS as SetMSS changes it.
	Header int
	// QueueDelay overrides the policy's queueing-delay target; 0 keeps the
	// policy default (fair 10 ms, high 20 ms, low 5 ms).
	QueueDelay time.Duration
}

// Defaults.
const (
	DefaultMSS         = 1400
	DefaultMinRate     = 16 << 10  // 16 KiB/s
	DefaultInitialRate = 512 << 10 // 512 KiB/s
	// DefaultInitialRTT is assumed until the first RTT sample.
	DefaultInitialRTT = 100 * time.Millisecond
)

// Mbps converts megabits per second to bytes per second.
func Mbps(m float64) float64 { return m * 1e6 / 8 }

// Validate checks the configuration.
func (c Config) Validate() error {
	if _, ok := policyNames[c.Policy]; !ok {
		return fmt.Errorf("%w: %v", ErrUnknownPolicy, c.Policy)
	}
	if c.TargetRate < 0 || c.MinRate < 0 || c.InitialRate < 0 || c.MSS < 0 || c.Header < 0 {
		return fmt.Errorf("%w: negative value", ErrBadRate)
	}
	if c.Policy == Fixed && c.TargetRate == 0 {
		return fmt.Errorf("%w: fixed policy needs a target rate", ErrBadRate)
	}
	if c.TargetRate > 0 && c.MinRate > c.TargetRate {
		return fmt.Errorf("%w: min rate %.0f above target %.0f", ErrBadRate, c.MinRate, c.TargetRate)
	}
	return nil
}

// withDefaults fills zero fields.
func (c Config) withDefaults() Config {
	if c.MSS == 0 {
		c.MSS = DefaultMSS
	}
	if c.MinRate == 0 {
		c.MinRate = DefaultMinRate
		if c.TargetRate > 0 {
			c.MinRate = min(c.MinRate, c.TargetRate)
		}
	}
	if c.InitialRate == 0 {
		c.InitialRate = DefaultInitialRate
	}
	c.InitialRate = c.clamp(c.InitialRate)
	return c
}

// clamp bounds r, a packet rate, to [MinRate, TargetRate] on the wire.
func (c Config) clamp(r float64) float64 {
	if t := c.wire(c.TargetRate); t > 0 && r > t {
		r = t
	}
	return max(r, c.wire(c.MinRate))
}

// wire turns a rate of payload into the rate of the packets carrying it.
func (c Config) wire(r float64) float64 {
	if c.Header <= 0 || c.MSS <= 0 {
		return r
	}
	return r * float64(c.MSS+c.Header) / float64(c.MSS)
}

// New returns a controller for the policy in cfg.
func New(cfg Config) (Controller, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	if cfg.Policy == Fixed {
		return newFixed(cfg), nil
	}
	return newAdaptive(cfg, paramsFor(cfg)), nil
}
