// Package probe measures a running wan lab from inside its namespaces:
// round-trip time with a UDP echo, and loss, reordering, duplication and
// throughput with a paced UDP blaster and a counting sink.
//
// Sockets are opened inside a namespace with lab.Lab.Do and used with
// plain blocking system calls from goroutines locked to real-time threads,
// so that on a busy machine the measuring ends disturb the figures as
// little as the forwarder does.
package probe
