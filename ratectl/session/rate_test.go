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
