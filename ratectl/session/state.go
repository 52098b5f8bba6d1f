package session

import (
	"time"

	"github.com/swarm-project/swarm/ratectl"
	"github.com/swarm-project/swarm/ratectl/wire"
)

// loopState is everything the connection's goroutine owns.
type loopState struct {
	c   *Conn
	now time.Time

	// handshake
	hsDone      bool // established
	confirmed   bool // server: the client used our ID, so it has our Accept
	initialDest wire.ConnID
	cookie      []byte
	hsSent      time.Time // last Initial (client) or Accept (server) sent
	hsNext      time.Time // client: next Initial retransmission
	hsBackoff   time.Duration
	hsDeadline  time.Time
	accepted    bool // server: handed to Accept (at confirmation, or at early data)
	// Before the client confirms, a server sends at most three times what
	// it received from the client's address (anti-amplification).
	unprovenRecv, unprovenSent int

	// sending
	ctl           ratectl.Controller
	rateCfg       ratectl.Config // what ctl was made from
	pacer         *ratectl.Pacer
	sampler       ratectl.RateSampler
	rtt           rttEstimator
	nextPN        uint64
	sent          []sentPacket // sent[sentHead].pn == firstPN, contiguous
	sentHead      int
	firstPN       uint64
	ackedPN       rangeSet // acknowledged numbers at or above firstPN
	inflight      int      // bytes of outstanding packets
	largestAcked  uint64
	anyAcked      bool
	nextOff       uint64   // next new stream byte
	dupUpTo       uint64   // new bytes below were considered for a redundant copy
	tailCopy      segment  // a repair to send again at once (see copyRepair)
	tailCopies    int      // how many more times
	retx          rangeSet // stream bytes to send again
	ackedData     rangeSet // stream bytes acknowledged above ackedPrefix
	ackedPrefix   uint64   // every stream byte below is acknowledged
	finSent       bool
	finAcked      bool
	peerLimit     uint64 // credit granted by the peer
	pktThreshold  uint64 // reordering tolerated, in packets (RFC 9002 kPacketThreshold, adaptive)
	timeThreshold int    // reordering tolerated, in eighths of an RTT (9 at first, adaptive)
	ptoCount      int
	probes        int // packets that may ignore pacing (tail-loss probes)
	lastElicit    time.Time
	lossTime      time.Time
	paceAt        time.Time
	sendMore      bool         // the last send pass stopped with a full batch
	ackRanges     []wire.Range // storage for parsing Acks
	mtu           pathMTU      // datagram size data packets use, and its search

	// receiving
	rx         receiver
	staged     []segmentIn // payloads of the datagrams being handled, for rcv
	stagedHeld int64       // bytes of staged beyond the contiguous prefix (see recvBuffer.admitsHeld)
	inBuf      *rxBuf      // their buffer, if rcv may keep it
	readable   bool        // rcv got bytes to read: signal the reader
	dupProbe   bool        // the next probe's data goes twice (see onPTO)

	// lifecycle and output
	lastRecv, lastSend time.Time
	closing            bool
	closeDeadline      time.Time
	out                []datagram // to send at the next flush
	outBuf             []byte     // their heads
	timer              *time.Timer

	// counters
	bytesSent, bytesRetrans  int64
	packetsSent, packetsLost int64
	spurious                 int64 // packets declared lost, then acknowledged
	traceIv                  ratectl.Interval
	traceLast                time.Time
	traceAcked               int64
}

// sentPacket is the record of one numbered packet.
type sentPacket struct {
	pn    uint64
	time  time.Time
	size  int
	off   uint64
	n     int
	fin   bool
	state uint8
	probe int // a path MTU probe of this size (a padded Ping), else 0
	round int // the probe's search round (pathMTU.round)
	rs    ratectl.SendState
}

const (
	outstanding uint8 = iota
	ackedState
	lostState
)

// Loop tuning.
const (
	maxBatch         = 128      // datagrams built per send pass
	sendPasses       = 4        // send passes per step; then other events get a turn
	outBufSize       = 16 << 10 // bytes of heads and control packets per batch, about
	drainBatch       = 256      // datagrams handled per wake-up before sending
	minPaceWait      = time.Millisecond
	packetThreshold  = 3
	maxPktThreshold  = 256
	initialHandshake = 250 * time.Millisecond
	maxHandshakeWait = 2 * time.Second
	maxTrackedRanges = 1024 // received-number ranges kept for acks
)

func (s *loopState) init(c *Conn) {
	s.c = c
	cfg := c.cfg
	ctl, err := ratectl.New(dataRates(cfg.Rate))
	if err != nil {
		panic(err) // validated in Config.withDefaults
	}
	s.ctl, s.rateCfg = ctl, cfg.Rate
	s.pacer = ratectl.NewPacer(ctl.Rate(), ratectl.DefaultBurst, cfg.MaxDatagram)
	s.rtt = newRTTEstimator()
	s.pktThreshold, s.timeThreshold = packetThreshold, 9
	s.outBuf = make([]byte, 0, outBufSize+cfg.MaxDatagram)
	s.mtu = newPathMTU(minDatagram, cfg.MaxDatagram, isLoopback(c.raddr))
	s.syncMSS()
	s.rx.init(cfg)
	s.traceIv.Every = cfg.TraceInterval
}

// rttEstimator follows RFC 9002 section 5.
type rttEstimator struct {
	latest, smoothed, rttvar, min time.Duration
	sampled                       bool
}

func newRTTEstimator() rttEstimator {
	return rttEstimator{smoothed: 333 * time.Millisecond, rttvar: 166 * time.Millisecond}
}

func (r *rttEstimator) update(sample, ackDelay time.Duration) {
	if sample <= 0 {
		return
	}
	r.latest = sample
	if !r.sampled {
		r.sampled, r.min, r.smoothed, r.rttvar = true, sample, sample, sample/2
		return
	}
	r.min = min(r.min, sample)
	if sample-ackDelay >= r.min {
		sample -= ackDelay
	}
	d := r.smoothed - sample
	if d < 0 {
		d = -d
	}
	r.rttvar = (3*r.rttvar + d) / 4
	r.smoothed = (7*r.smoothed + sample) / 8
}

// pto is the probe timeout before backoff: RFC 9002's, with the variance
// term held to half the smoothed RTT. The RFC starts the variance at half
// the first sample, so every probe of a young connection waited three
// RTTs: 1.5 s at 500 ms, for each lost packet of the handshakes and first
// requests. A probe that goes early costs one or two packets.
func (r *rttEstimator) pto(maxAckDelay time.Duration) time.Duration {
	return r.smoothed + min(max(4*r.rttvar, time.Millisecond), max(r.smoothed/2, time.Millisecond)) + maxAckDelay
}
