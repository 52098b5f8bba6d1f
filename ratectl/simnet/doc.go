// Package simnet is an in-memory datagram network for tests: PacketConns
// joined by links with a rate, a drop-tail queue, a delay, and random loss,
// duplication, reordering and truncation.
//
// It uses only channels, timers and the time package, so it runs inside a
// testing/synctest bubble, where a minute of a 500 ms, lossy path costs
// only the CPU time of the packets.
package simnet
