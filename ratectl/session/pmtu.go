package session

import (
	"time"

	"github.com/swarm-project/swarm/ratectl/wire"
)

// Path MTU discovery (DPLPMTUD, RFC 8899), one direction: the largest
// datagram this side's packets reach the peer in.
//
// Data goes out at the size last confirmed, starting at minDatagram
// (1200 bytes, which every IPv4 and IPv6 path carries with room to
// spare). Once the connection is confirmed, padded Pings probe larger
// sizes, largest first: most paths carry the configured maximum, so one
// round trip settles it. A probe whose ack comes back raises the size; a
// size whose probes are all lost probeRounds times is too large, and the
// search halves the interval between the sizes known to pass and to
// fail, until it is under mtuStep. Sockets set the don't-fragment bit
// (setDontFragment), so a router on a narrower link drops a datagram
// rather than fragmenting it; whether it reports that by ICMP does not
// matter, which is the point of probing in the protocol itself.
//
// Before this, a path narrower than the 1500-byte Ethernet MTU (a VPN, a
// tunnel, PPPoE, some clouds' overlays) lost every full-size datagram:
// the TLS handshake's larger flight never arrived and the connection
// failed (see docs/ratectl.md, "Path MTU").
//
// A path can also narrow later (a route change): two probe timeouts in a
// row with nothing acknowledged, at a size above the minimum, drop the
// size back to the minimum (the outstanding data goes again in smaller
// packets) and the search starts over. It can widen too: a search that
// settled under the maximum probes larger sizes again raiseAfter later.

const (
	probesPerRound = 2  // probes of one size sent together
	probeRounds    = 2  // rounds of lost probes that fail a size
	mtuStep        = 16 // the search stops when the interval is narrower
	// raiseAfter is how long a search that settled under the maximum
	// waits before it looks for a larger size again (RFC 8899's
	// PMTU_RAISE_TIMER, 600 s): the route may have moved to a wider path.
	raiseAfter = 10 * time.Minute
)

// pathMTU is the search's state. It does no I/O; the loop sends the
// probes it asks for and reports their fate.
type pathMTU struct {
	size    int       // largest datagram confirmed: data packets use it
	base    int       // the size every path carries
	hi      int       // largest size not known to fail
	max     int       // the configured largest datagram
	probing int       // size of the probes out, 0 if none
	pending int       // of those, how many are neither acked nor lost
	fails   int       // rounds of lost probes at probing
	round   int       // numbers probe rounds: a result from another round is stale
	settled time.Time // when the search last settled under max
}

// newPathMTU starts at base and searches up to max; known means the path
// is known to carry max (loopback), so there is nothing to search.
func newPathMTU(base, max int, known bool) pathMTU {
	m := pathMTU{size: min(base, max), base: min(base, max), hi: max, max: max}
	if known {
		m.size = max
	}
	return m
}

// next returns the size to probe at now, or 0: a search is done, or
// probes are out. The probes carry m.round.
func (m *pathMTU) next(now time.Time) int {
	if m.probing != 0 || m.hi-m.size < mtuStep && !m.raise(now) {
		return 0
	}
	m.round++
	switch {
	case m.hi == m.max:
		m.probing = m.hi // the whole size, until it fails
	case m.size < DefaultMaxDatagram && DefaultMaxDatagram <= m.hi:
		m.probing = DefaultMaxDatagram // Ethernet's, behind a jumbo-frame LAN
	default:
		m.probing = (m.size + m.hi + 1) / 2
	}
	m.pending = probesPerRound
	return m.probing
}

// raise reopens a search that settled under the maximum, raiseAfter
// after it settled; it reports whether it did.
func (m *pathMTU) raise(now time.Time) bool {
	if m.size+mtuStep > m.max {
		return false // settled at the maximum: nothing larger to find
	}
	if m.settled.IsZero() {
		m.settled = now
		return false
	}
	if now.Sub(m.settled) < raiseAfter {
		return false
	}
	m.hi, m.fails, m.settled = m.max, 0, time.Time{}
	return true
}

// acked reports the ack of a probe of size sent in round.
func (m *pathMTU) acked(size, round int) {
	if round != m.round || size != m.probing {
		return // a stale probe's (the path may have changed since): ignored
	}
	m.size = max(m.size, size)
	m.probing, m.pending, m.fails = 0, 0, 0
}

// lost reports the loss of a probe of size sent in round.
func (m *pathMTU) lost(size, round int) {
	if round != m.round || size != m.probing {
		return // a stale probe's: its round was settled
	}
	if m.pending--; m.pending > 0 {
		return
	}
	m.probing = 0
	if m.fails++; m.fails >= probeRounds {
		m.hi, m.fails = size-1, 0
	}
}

// blackHole drops the size back to the base after the path stopped
// carrying it, and restarts the search; it reports whether it did.
func (m *pathMTU) blackHole() bool {
	if m.size <= m.base {
		return false
	}
	*m = pathMTU{size: m.base, base: m.base, hi: m.max, max: m.max, round: m.round + 1}
	return true
}

// syncMSS tells the controller the payload of a full packet at the size
// data packets use now: its per-packet floors and steps follow the path,
// not the largest size the search may try (a jumbo maximum is six times
// the usual packet, and a 16-packet floor of 8972-byte packets where the
// path carries 1452 is 143 KB in flight whatever the rate).
func (s *loopState) syncMSS() { s.ctl.SetMSS(s.mtu.size - wire.DataHeaderLen) }
