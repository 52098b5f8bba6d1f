package session

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/swarm-project/swarm/ratectl"
	"github.com/swarm-project/swarm/ratectl/simnet"
)

func TestSimTransferSmoke(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := simnet.Link{Rate: ratectl.Mbps(20), Delay: 10 * time.Millisecond, Loss: 0.01}
		n := simnet.New(l, 1)
		c, s, ln := simPair(t, n, quietConfig())
		data := payload(2 << 20)
		d := transfer(t, c, s, data)
		st := c.Stats()
		t.Logf("2 MiB in %v: %.1f Mbit/s; sent %d retrans %d lost %d rtt %v", d, float64(len(data))*8/d.Seconds()/1e6, st.BytesSent, st.BytesRetrans, st.PacketsLost, st.RTT)
		if err := c.Close(); err != nil {
			t.Errorf("client close: %v", err)
		}
		if err := s.Close(); err != nil {
			t.Errorf("server close: %v", err)
		}
		ln.Close()
	})
}
