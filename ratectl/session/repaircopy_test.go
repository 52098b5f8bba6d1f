package session

import (
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/swarm-project/swarm/ratectl"
	"github.com/swarm-project/swarm/ratectl/simnet"
)

// lossyTransfer moves size bytes over a 50 Mbit/s path of 400 ms RTT and
// 10 % loss each way and returns the transfer's simulated time and the
// share of the bytes sent that were retransmissions.
func lossyTransfer(t *testing.T, seed uint64, size int, copies bool) (time.Duration, float64) {
	var d time.Duration
	var retrans float64
	synctest.Test(t, func(t *testing.T) {
		n := simnet.New(simnet.Link{Rate: ratectl.Mbps(50), Delay: 200 * time.Millisecond, Loss: 0.1}, seed)
		cfg := quietConfig()
		cfg.noRepairCopies = !copies
		cl, sv, ln := simPair(t, n, cfg)
		defer ln.Close()
		d = transfer(t, sv, cl, payload(size))
		st := sv.Stats()
		retrans = float64(st.BytesRetrans) / float64(st.BytesSent)
		cl.Close()
		sv.Close()
	})
	return d, retrans
}

// Repairs sent when there is no new data go two or three times: the
// transfers whose end is all repairs (a few bandwidth-delay products)
// finish sooner, for a few more retransmitted bytes.
func TestRepairCopiesShortenTheTail(t *testing.T) {
	const seeds, size = 12, 2 << 20
	var with, without []time.Duration
	var rWith, rWithout float64
	for seed := range uint64(seeds) {
		d, r := lossyTransfer(t, seed, size, true)
		with, rWith = append(with, d), rWith+r/seeds
		d, r = lossyTransfer(t, seed, size, false)
		without, rWithout = append(without, d), rWithout+r/seeds
	}
	slices.Sort(with)
	slices.Sort(without)
	mean := func(ds []time.Duration) time.Duration {
		var s time.Duration
		for _, d := range ds {
			s += d
		}
		return s / time.Duration(len(ds))
	}
	t.Logf("2 MiB at 50 Mbit/s, 400 ms, 10%% loss, %d seeds: with copies mean %v median %v max %v, retransmitted %.1f%%; without mean %v median %v max %v, retransmitted %.1f%%",
		seeds, mean(with), with[seeds/2], with[seeds-1], rWith*100, mean(without), without[seeds/2], without[seeds-1], rWithout*100)
	// Measured: 2.33 s against 3.04 s, 17.0 % against 9.8 % retransmitted.
	if mean(with) > mean(without)*9/10 {
		t.Errorf("mean transfer %v with copies against %v without: want at least 10 %% shorter", mean(with), mean(without))
	}
	if rWith > 0.25 {
		t.Errorf("%.1f%% of the bytes sent were retransmissions with copies; want under 25%% at 10%% loss", rWith*100)
	}
}
