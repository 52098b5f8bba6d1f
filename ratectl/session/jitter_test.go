package session

import (
	"io"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/swarm-project/swarm/ratectl"
	"github.com/swarm-project/swarm/ratectl/simnet"
)

// queueTracer keeps, from a connection's trace, the largest jitter
// estimate and the mean of SRTT less the base RTT.
type queueTracer struct {
	mu        sync.Mutex
	maxJitter time.Duration
	qsum      time.Duration
	n         int
}

func (q *queueTracer) Trace(r ratectl.TraceRecord) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if r.BaseRTT > 0 {
		q.maxJitter = max(q.maxJitter, r.Jitter)
		q.qsum += r.RTT - r.BaseRTT
		q.n++
	}
}

// TestJitterEstimateOnAQuietPath: a flow alone on a jitter-free path,
// acked every few packets as the session does, must read little jitter
// from its own queue, or the allowance raises its queue. A first version
// that allowed one packet's service time between samples read 36 ms at 2
// Mbit/s (a mean queue of 148 ms against 26 without the allowance).
func TestJitterEstimateOnAQuietPath(t *testing.T) {
	for _, c := range []struct {
		mbps            float64
		maxJitter, maxQ time.Duration
	}{{2, 15 * time.Millisecond, 50 * time.Millisecond}, {10, time.Millisecond, 10 * time.Millisecond}, {50, time.Millisecond, 10 * time.Millisecond}} {
		synctest.Test(t, func(t *testing.T) {
			n := simnet.New(simnet.Link{Rate: ratectl.Mbps(c.mbps), Delay: 25 * time.Millisecond}, 1)
			tr := &queueTracer{}
			cfg := quietConfig()
			cfg.Tracer = tr
			cl, sv, ln := simPair(t, n, cfg)
			defer ln.Close()
			werr := writeAndClose(cl, payload(int(ratectl.Mbps(c.mbps)*20)))
			if _, err := io.Copy(io.Discard, sv); err != nil {
				t.Fatal(err)
			}
			if err := <-werr; err != nil {
				t.Fatal(err)
			}
			cl.Close()
			sv.Close()
			tr.mu.Lock() // the connections trace under it: not held while they close
			meanQ, maxJitter := tr.qsum/time.Duration(max(tr.n, 1)), tr.maxJitter
			tr.mu.Unlock()
			t.Logf("%g Mbit/s, 50 ms, 20 s of data: jitter estimate at most %v, mean SRTT - base %v", c.mbps, maxJitter, meanQ)
			if maxJitter > c.maxJitter || meanQ > c.maxQ {
				t.Errorf("%g Mbit/s: jitter estimate %v, mean queue %v; want at most %v and %v", c.mbps, maxJitter, meanQ, c.maxJitter, c.maxQ)
			}
		})
	}
}
