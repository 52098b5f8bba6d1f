// Package lab brings up an emulated wide-area network on this machine: a
// star of network namespaces (one downloader "d" and seeders "s1".."sN"),
// each holding a TUN device "wan0" whose packets go through a user-space
// forwarder in this process. Each seeder's link has its own parameters per
// direction (rate, delay, jitter, loss, queue, reordering, duplication),
// modelled by package bench/linkem.
//
// Addresses are 10.77.0.1 for the downloader and 10.77.0.(10+i) for seeder
// i. They exist only inside the namespaces the lab creates: the host
// namespace has no route to them and the forwarder only moves packets
// between the lab's own TUN devices, dropping anything addressed elsewhere.
//
// Namespaces are named swl-<id>-<node> with a random id, so two labs never
// collide. A state file under /run/swarm-wanlab (or the temp directory)
// records what was created; a watchdog child process removes it if this
// process dies without Close, and Down or the next Up removes what a dead
// run left behind.
//
// The forwarder runs in the calling process on locked real-time threads.
// A garbage collection stops them briefly, and on a busy machine the stop
// can last milliseconds, which the link then loses as capacity; so can a
// wait for a free P after a system call. A process that hosts a lab for
// measurements calls TuneProcess.
//
// Up needs root, the ip command and /dev/net/tun; it fails with
// ErrUnavailable (check with errors.Is) when they are missing.
package lab
