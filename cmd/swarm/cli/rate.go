package cli

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/swarm-project/swarm/ratectl"
)

// parseRate parses the value of flag, a rate in bits per second with an
// optional K, M or G suffix (decimal, as Aspera's -l 200M), and returns
// bytes per second.
func parseRate(flag, s string) (float64, error) {
	if s == "" || s == "0" {
		return 0, nil
	}
	num, mult := s, 1.0
	switch strings.ToUpper(s[len(s)-1:]) {
	case "K":
		mult, num = 1e3, s[:len(s)-1]
	case "M":
		mult, num = 1e6, s[:len(s)-1]
	case "G":
		mult, num = 1e9, s[:len(s)-1]
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || v < 0 || math.IsNaN(v) || math.IsInf(v*mult, 0) {
		return 0, &usageError{fmt.Sprintf("%s %q: want a rate in bits/s like 200M or 1.5G", flag, s)}
	}
	return v * mult / 8, nil
}

// checkRates refuses a floor above a ceiling, in the units the user typed
// (ratectl's own error speaks bytes per second).
func checkRates(minFlag string, minRate float64, maxFlag string, maxRate float64) error {
	if minRate > 0 && maxRate > 0 && minRate > maxRate {
		return &usageError{fmt.Sprintf("%s %s is above %s %s", minFlag, bits(minRate), maxFlag, bits(maxRate))}
	}
	return nil
}

// bits formats bytes per second as bits per second.
func bits(bytesPerSec float64) string {
	return strconv.FormatFloat(bytesPerSec*8/1e6, 'f', -1, 64) + "M"
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
	if c.TargetRate, err = parseRate("--max-upload-rate", f.maxUp); err != nil {
		return c, err
	}
	if c.MinRate, err = parseRate("--min-rate", f.minRate); err != nil {
		return c, err
	}
	if err := checkRates("--min-rate", c.MinRate, "--max-upload-rate", c.TargetRate); err != nil {
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
