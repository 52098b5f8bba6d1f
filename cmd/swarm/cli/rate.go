package cli

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/swarm-project/swarm/ratectl"
)

// parseRate parses a rate in bits per second with an optional K, M or G
// suffix (decimal, as Aspera's -l 200M), and returns bytes per second.
func parseRate(s string) (float64, error) {
	if s == "" || s == "0" {
		return 0, nil
	}
	mult := 1.0
	switch strings.ToUpper(s[len(s)-1:]) {
	case "K":
		mult, s = 1e3, s[:len(s)-1]
	case "M":
		mult, s = 1e6, s[:len(s)-1]
	case "G":
		mult, s = 1e9, s[:len(s)-1]
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 {
		return 0, &usageError{fmt.Sprintf("bad rate %q: want a number of bits/s like 200M or 1.5G", s)}
	}
	return v * mult / 8, nil
}

// rateFlags are the rate-control settings of a daemon.
type rateFlags struct {
	policy  string
	maxUp   string
	minRate string
}

func (f rateFlags) config() (ratectl.Config, error) {
	var c ratectl.Config
	p, err := ratectl.ParsePolicy(f.policy)
	if err != nil {
		return c, &usageError{fmt.Sprintf("--policy: %v (fixed, fair, high or low)", err)}
	}
	c.Policy = p
	if c.TargetRate, err = parseRate(f.maxUp); err != nil {
		return c, err
	}
	if c.MinRate, err = parseRate(f.minRate); err != nil {
		return c, err
	}
	if err := c.Validate(); err != nil {
		return c, &usageError{err.Error()}
	}
	return c, nil
}

// traceFromEnv opens SWARM_TRACE for per-interval rate-control records.
func traceFromEnv() (ratectl.Tracer, func(), error) {
	path := os.Getenv("SWARM_TRACE")
	if path == "" {
		return nil, func() {}, nil
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, nil, fmt.Errorf("SWARM_TRACE: %w", err)
	}
	return ratectl.NewJSONTracer(f), func() { f.Close() }, nil
}
