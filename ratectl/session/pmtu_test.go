package session

import (
	"io"
	"math/bits"
	"math/rand/v2"
	"testing"
	"testing/synctest"
	"time"

	"github.com/swarm-project/swarm/ratectl"
	"github.com/swarm-project/swarm/ratectl/simnet"
	"github.com/swarm-project/swarm/ratectl/wire"
)

// TestPathMTUSearch runs the search against paths of many sizes, with and
// without random loss of the probes: it must end at most mtuStep under
// what the path carries, never above, within a bounded number of rounds.
var t0 = time.Unix(1_000_000, 0)

func TestPathMTUSearch(t *testing.T) {
	const base = 1200
	rng := rand.New(rand.NewPCG(1, 2))
	for _, maxD := range []int{1452, 8972} {
		// Each size tried costs at most probeRounds rounds: the largest,
		// 1452, then a halving per bit of (max - base) / mtuStep.
		bound := probeRounds * (3 + bits.Len(uint((maxD-base)/mtuStep)))
		for _, path := range []int{1200, 1201, 1232, 1280, 1350, 1372, 1400, 1451, 1452, 1472, 4000, 8972, 9000} {
			for _, loss := range []float64{0, 0.1, 0.3} {
				m := newPathMTU(base, maxD, false)
				rounds := 0
				for size := m.next(t0); size > 0; size = m.next(t0) {
					if rounds++; rounds > 40 {
						t.Fatalf("max %d path %d loss %.1f: no end after %d rounds (size %d)", maxD, path, loss, rounds, m.size)
					}
					for range probesPerRound {
						if size <= path && rng.Float64() >= loss {
							m.acked(size, m.round)
						} else {
							m.lost(size, m.round)
						}
					}
				}
				want := min(path, maxD)
				if m.size > want || m.size < want-mtuStep || m.size < base {
					t.Errorf("max %d path %d loss %.1f: settled at %d, want (%d, %d]", maxD, path, loss, m.size, want-mtuStep, want)
				}
				if loss == 0 && rounds > bound {
					t.Errorf("max %d path %d: %d rounds without loss, want at most %d", maxD, path, rounds, bound)
				}
			}
		}
	}
}

// TestPathMTURaise: a search that settled under the maximum looks again
// raiseAfter later and finds a path that has widened; one that settled at
// the maximum never probes again.
func TestPathMTURaise(t *testing.T) {
	search := func(m *pathMTU, now time.Time, path int) {
		for size := m.next(now); size > 0; size = m.next(now) {
			for range probesPerRound {
				if size <= path {
					m.acked(size, m.round)
				} else {
					m.lost(size, m.round)
				}
			}
		}
	}
	m := newPathMTU(1200, 1452, false)
	search(&m, t0, 1400)
	if m.size > 1400 || m.size <= 1400-mtuStep {
		t.Fatalf("settled at %d on a 1400-byte path", m.size)
	}
	if sz := m.next(t0.Add(raiseAfter - time.Second)); sz != 0 {
		t.Fatalf("probed %d before the raise timer", sz)
	}
	search(&m, t0.Add(raiseAfter), 1452) // the route moved to a wider path
	if m.size != 1452 {
		t.Fatalf("after the raise timer on a 1452-byte path: size %d, want 1452", m.size)
	}
	if sz := m.next(t0.Add(10 * raiseAfter)); sz != 0 {
		t.Fatalf("probed %d after settling at the maximum", sz)
	}
	n := newPathMTU(1200, 1452, false)
	search(&n, t0, 1300)
	first := n.size
	search(&n, t0.Add(raiseAfter), 1300) // still narrow: the same size again
	if n.size != first {
		t.Fatalf("a raise on an unchanged path moved the size from %d to %d", first, n.size)
	}
}

func TestPathMTUBlackHoleRestarts(t *testing.T) {
	m := newPathMTU(1200, 1452, false)
	if m.blackHole() {
		t.Fatal("black hole at the base size")
	}
	sz := m.next(t0)
	m.acked(sz, m.round)
	if m.size != 1452 || m.next(t0) != 0 {
		t.Fatalf("after one acked probe: size %d, want 1452 and done", m.size)
	}
	if !m.blackHole() || m.size != 1200 || m.hi != 1452 {
		t.Fatalf("after a black hole: size %d, search up to %d", m.size, m.hi)
	}
	old := m.round
	if m.next(t0) != 1452 {
		t.Fatal("the search does not start over")
	}
	// A probe of the same size from before the black hole, lost or acked
	// late, says nothing about the path now: the new round is untouched.
	m.lost(1452, old)
	m.acked(1452, old)
	if m.size != 1200 || m.pending != probesPerRound || m.fails != 0 {
		t.Fatalf("a stale probe counted: size %d pending %d fails %d", m.size, m.pending, m.fails)
	}
	if k := newPathMTU(1200, 9000, true); k.size != 9000 || k.next(t0) != 0 {
		t.Fatalf("a known path searches: size %d", k.size)
	}
}

// TestTransferOverANarrowPath: a path that silently drops datagrams over
// 1300 bytes (a tunnel whose ICMP never comes back). Both sides' searches
// must find it, and a transfer with loss must arrive whole. Before the
// search, every full-size datagram was lost and the transfer never ended.
func TestTransferOverANarrowPath(t *testing.T) {
	for _, loss := range []float64{0, 0.05} {
		synctest.Test(t, func(t *testing.T) {
			const mtu = 1300
			l := simnet.Link{Rate: ratectl.Mbps(20), Delay: 10 * time.Millisecond, Loss: loss, MTU: mtu}
			n := simnet.New(l, 3)
			c, s, ln := simPair(t, n, quietConfig())
			defer ln.Close()
			s.SetReadDeadline(time.Now().Add(time.Minute)) // a stall fails, not hangs
			transfer(t, c, s, payload(2<<20))
			for name, conn := range map[string]*Conn{"client": c, "server": s} {
				if d := conn.Stats().Datagram; d > mtu || d <= mtu-mtuStep {
					t.Errorf("loss %.2f: %s sends %d-byte datagrams on a %d-byte path", loss, name, d, mtu)
				}
			}
			c.Close()
			s.Close()
			// The loops have ended: their state may be read.
			for name, conn := range map[string]*Conn{"client": c, "server": s} {
				if got, want := conn.st.ctl.Snapshot().MSS, conn.st.mtu.size-wire.DataHeaderLen; got != want {
					t.Errorf("%s: the controller's MSS is %d, the packets' payload %d", name, got, want)
				}
			}
		})
	}
}

// TestTransferOnAWidePath: where the path carries the configured maximum
// the search ends there at once.
func TestTransferOnAWidePath(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := simnet.New(simnet.Link{Rate: ratectl.Mbps(20), Delay: 10 * time.Millisecond}, 3)
		c, s, ln := simPair(t, n, quietConfig())
		defer ln.Close()
		transfer(t, c, s, payload(1<<20))
		if d := c.Stats().Datagram; d != DefaultMaxDatagram {
			t.Errorf("datagram %d on a 1500-byte path, want %d", d, DefaultMaxDatagram)
		}
		c.Close()
		s.Close()
	})
}

// TestPathNarrowsMidTransfer: the path's MTU falls under the size the
// search found while a transfer runs (a route change). The probe timeouts
// that follow drop the size to the minimum, the outstanding data goes
// again in smaller datagrams, and the transfer completes.
func TestPathNarrowsMidTransfer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := simnet.Link{Rate: ratectl.Mbps(20), Delay: 10 * time.Millisecond}
		n := simnet.New(l, 4)
		c, s, ln := simPair(t, n, quietConfig())
		defer ln.Close()
		data := payload(4 << 20)
		werr := writeAndClose(c, data)
		got := make([]byte, 1<<20)
		if _, err := io.ReadFull(s, got); err != nil {
			t.Fatal(err)
		}
		if d := c.Stats().Datagram; d != DefaultMaxDatagram {
			t.Fatalf("datagram %d before the change, want %d", d, DefaultMaxDatagram)
		}
		s.SetReadDeadline(time.Now().Add(time.Minute)) // a stall fails, not hangs
		narrow := l
		narrow.MTU = 1250
		n.SetLink("client", "server", narrow)
		rest, err := io.ReadAll(s)
		if err != nil {
			t.Fatalf("read after the path narrowed: %v", err)
		}
		if err := <-werr; err != nil {
			t.Fatal(err)
		}
		if string(append(got, rest...)) != string(data) {
			t.Fatal("data differs")
		}
		if d := c.Stats().Datagram; d > 1250 {
			t.Errorf("datagram %d after the path narrowed to 1250", d)
		}
		c.Close()
		s.Close()
	})
}
