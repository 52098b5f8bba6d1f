package session

import (
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/swarm-project/swarm/ratectl"
	"github.com/swarm-project/swarm/ratectl/simnet"
)

// SetRate swaps the sender's controller at run time: a fixed 1 MB/s
// target then holds the transfer to that rate (in simulated time).
func TestSetRate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := simnet.New(simnet.Link{Rate: 100e6 / 8, Delay: 10 * time.Millisecond}, 1)
		c, s, ln := simPair(t, n, quietConfig())
		defer ln.Close()
		if err := c.SetRate(ratectl.Config{Policy: ratectl.Fixed}); !errors.Is(err, ratectl.ErrBadRate) {
			t.Fatalf("fixed without a target: %v", err)
		}
		if err := c.SetRate(ratectl.Config{Policy: ratectl.Fixed, TargetRate: 1e6}); err != nil {
			t.Fatal(err)
		}
		if st := c.Stats(); st.Policy != ratectl.Fixed {
			time.Sleep(200 * time.Millisecond) // stats are published by the loop
			if st = c.Stats(); st.Policy != ratectl.Fixed {
				t.Fatalf("policy %v", st.Policy)
			}
		}
		d := transfer(t, c, s, payload(4<<20))
		rate := float64(4<<20) / d.Seconds()
		if rate > 1.1e6 || rate < 0.8e6 {
			t.Fatalf("fixed 1 MB/s moved %.0f B/s", rate)
		}
		c.Close()
		s.Close()
		if err := c.SetRate(ratectl.Config{Policy: ratectl.Fair}); err == nil {
			t.Fatal("SetRate on a closed connection succeeded")
		}
	})
}

// Asking for the settings in force changes nothing: every download that
// asks for nothing in particular asks its peer for the peer's own settings
// again, and a new controller would start over from its initial rate.
func TestSetRateSameKeepsTheController(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := simnet.New(simnet.Link{Rate: 100e6 / 8, Delay: 10 * time.Millisecond}, 1)
		c, s, ln := simPair(t, n, quietConfig())
		defer ln.Close()
		defer s.Close()
		defer c.Close()
		transfer(t, c, s, payload(8<<20))
		time.Sleep(200 * time.Millisecond) // stats are published by the loop
		before := c.Stats()
		if before.Mode == "startup" {
			t.Fatalf("still in startup after 8 MiB: %+v", before)
		}
		if err := c.SetRate(ratectl.Config{Policy: ratectl.Fair}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond)
		if after := c.Stats(); after.Mode != before.Mode || after.Rate < before.Rate/2 {
			t.Fatalf("the same settings again reset the controller: %s at %.0f B/s, then %s at %.0f B/s",
				before.Mode, before.Rate, after.Mode, after.Rate)
		}
	})
}

// The target is a rate of stream data, not of datagrams: fixed at 2 MB/s
// moves 2 MB/s of the application's bytes, its headers on top (it moved
// 1.96 when the target counted datagrams: 1424 data bytes in 1452), at
// the datagram size the path carries, not the largest configured (a
// jumbo-frame host behind a 1500-byte path moved 0.979 of it while the
// largest size set the factor), whether the rate came with the
// configuration or later by SetRate (a downloader's RATE request).
func TestFixedRateIsADataRate(t *testing.T) {
	fixed := ratectl.Config{Policy: ratectl.Fixed, TargetRate: 2e6}
	for _, c := range []struct {
		maxDatagram, pathMTU int
		viaSetRate           bool
	}{{1452, 0, false}, {8972, 1452, false}, {1452, 1240, false}, {1452, 0, true}, {8972, 1452, true}} {
		synctest.Test(t, func(t *testing.T) {
			n := simnet.New(simnet.Link{Rate: 100e6 / 8, Delay: 10 * time.Millisecond, MTU: c.pathMTU}, 1)
			cfg := quietConfig()
			cfg.MaxDatagram = c.maxDatagram
			if !c.viaSetRate {
				cfg.Rate = fixed
			}
			cl, s, ln := simPair(t, n, cfg)
			defer ln.Close()
			if c.viaSetRate {
				if err := cl.SetRate(fixed); err != nil {
					t.Fatal(err)
				}
			}
			const size = 16 << 20
			d := transfer(t, cl, s, payload(size))
			got := float64(size) / d.Seconds() / 2e6
			t.Logf("largest datagram %d, path MTU %d, datagram %d, SetRate %v: fixed 2 MB/s moved %.4f of the target in data",
				c.maxDatagram, c.pathMTU, cl.Stats().Datagram, c.viaSetRate, got)
			if got < 0.99 || got > 1.005 {
				t.Errorf("fixed 2 MB/s moved %.4f of the target in data", got)
			}
			cl.Close()
			s.Close()
		})
	}
}
