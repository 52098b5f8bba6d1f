package session

import (
	"time"

	"github.com/swarm-project/swarm/ratectl"
)

// Stats are a connection's counters and its controller's view.
type Stats struct {
	Policy       ratectl.Policy
	Mode         string
	Rate         float64 // pacing rate, bytes/s
	RTT          time.Duration
	BaseRTT      time.Duration
	LossRate     float64 // smoothed, from the controller
	InFlight     int
	BytesSent    int64 // stream bytes sent, retransmissions included
	BytesRetrans int64 // stream bytes sent again
	BytesAcked   int64 // stream bytes acknowledged (each once)
	BytesRecv    int64 // stream bytes received in order
	PacketsSent  int64
	PacketsLost  int64
	Spurious     int64  // packets declared lost that arrived after all
	Window       uint64 // credit granted to the peer (absolute offset)
	Datagram     int    // largest datagram the path was found to carry (see pathMTU)
}

// Stats returns a snapshot of the connection's statistics.
func (c *Conn) Stats() Stats {
	c.statsMu.Lock()
	st := c.stats
	c.statsMu.Unlock()
	read, _, _ := c.rcv.consumed() // reads need not wake the loop: count them here
	st.BytesRecv = int64(read)
	return st
}

func (c *Conn) publishStats() {
	s := &c.st
	snap := s.ctl.Snapshot()
	read, _, _ := c.rcv.consumed()
	st := Stats{
		Policy: snap.Policy, Mode: snap.Mode, Rate: snap.Rate,
		RTT: s.rtt.smoothed, BaseRTT: snap.BaseRTT, LossRate: snap.LossRate,
		InFlight: s.inflight, BytesSent: s.bytesSent, BytesRetrans: s.bytesRetrans,
		BytesAcked: int64(s.ackedPrefix), BytesRecv: int64(read),
		PacketsSent: s.packetsSent, PacketsLost: s.packetsLost, Spurious: s.spurious, Window: s.rx.limit,
		Datagram: s.mtu.size,
	}
	c.statsMu.Lock()
	c.stats = st
	c.statsMu.Unlock()
}

func (c *Conn) trace(now time.Time) {
	s := &c.st
	if c.cfg.Tracer == nil || !s.traceIv.Due(now) {
		return
	}
	snap := s.ctl.Snapshot()
	elapsed := now.Sub(s.traceLast).Seconds()
	var delivery float64
	if elapsed > 0 {
		delivery = float64(int64(s.ackedPrefix)-s.traceAcked) / elapsed
	}
	s.traceLast, s.traceAcked = now, int64(s.ackedPrefix)
	c.snd.mu.Lock()
	end, _ := c.snd.endLocked()
	c.snd.mu.Unlock()
	c.cfg.Tracer.Trace(ratectl.TraceRecord{
		Time: now, Conn: c.localID.String(), Policy: snap.Policy.String(), Mode: snap.Mode,
		Rate: snap.Rate, Delivery: delivery, RTT: snap.SRTT, BaseRTT: snap.BaseRTT,
		QueueDelay: snap.QueueDelay, Jitter: snap.Jitter, LossRate: snap.LossRate, InFlight: s.inflight, Dips: snap.Dips,
		Retrans: s.bytesRetrans, Unsent: int64(end - s.nextOff), Credit: int64(s.peerLimit) - int64(s.nextOff),
	})
}
