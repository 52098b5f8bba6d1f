// Package linkem models one direction of an emulated wide-area link: a
// bottleneck with real serialisation, a drop-tail queue, random loss
// (independent or Gilbert-Elliott bursts), propagation delay with jitter,
// optional reordering and duplication.
//
// The package does no I/O and never reads the clock: every decision takes
// the current time as a time.Duration on the caller's clock, so the model is
// tested in simulated time and driven by the packet forwarder in bench/lab
// in real time. Randomness comes from math/rand/v2 seeded by the caller, so
// a run is repeatable for a given seed and packet arrival sequence.
//
// The order of operations for each packet is:
//
//  1. drop-tail: the packet is dropped if the bytes still waiting to be
//     serialised plus its own size exceed the queue limit;
//  2. serialisation: departure = max(now, last departure) + size/rate;
//  3. loss on the wire: the loss model may drop it (it still used the
//     bottleneck, as on a real path where loss happens beyond it);
//  4. propagation: due = departure + delay + jitter, never earlier than the
//     previous packet's due time unless the packet is picked for reordering,
//     in which case it is held back by the reorder delay and later packets
//     overtake it;
//  5. duplication: the packet may be delivered twice at the same due time.
package linkem
