// Package linksim simulates a bottleneck link in virtual time, for testing
// rate controllers without sleeping or reading the clock.
//
// A Sim holds one drop-tail bottleneck (rate, base round trip, buffer,
// random loss after the bottleneck, optional jitter each way, order kept)
// shared by several flows. Each flow is a
// Sender: a RateFlow driving a ratectl.Controller through a ratectl.Pacer,
// or a Reno or Cubic window-based model of a competing TCP flow. Acks and
// loss notices reach a sender one round trip after its packet would have
// been delivered, in the order the packets were sent; the reverse path is
// uncongested. A discrete-event loop advances virtual time from one event
// to the next, so a minute of 100 Mbit/s traffic costs well under a second.
//
// The package is meant for tests and experiments; it is not used by the
// transport itself.
package linksim
