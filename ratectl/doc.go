// Package ratectl holds the pure rate controllers of Swarm's UDP transport:
// policies fixed, fair, high and low (after Aspera's), a token-bucket Pacer,
// a delivery-rate sampler and a trace interface.
//
// Nothing here does I/O or reads the clock: every event carries the current
// time, so controllers run the same under the session's real clock and under
// the virtual clock of the link simulator (ratectl/linksim) used by the
// tests. See docs/ratectl.md for the design and the simulated results.
//
// Rates are in bytes per second (float64) throughout; Mbps converts.
package ratectl
