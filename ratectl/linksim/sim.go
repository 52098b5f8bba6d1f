package linksim

import (
	"math/rand/v2"
	"slices"
	"time"
)

// Link describes the bottleneck.
type Link struct {
	Rate   float64       // bytes per second
	RTT    time.Duration // base round trip, without queueing or serialization
	Buffer int           // drop-tail queue capacity in bytes
	Loss   float64       // probability a packet is lost after the bottleneck
	Seed   uint64        // random seed for loss and jitter
	// Jitter adds a uniform random delay in [-Jitter, +Jitter] to each
	// direction of each packet (data after the bottleneck, its ack on the
	// way back), order kept: a packet is never delivered, nor its ack
	// returned, before the one sent ahead of it, as the WAN lab's links
	// (bench/linkem) and any FIFO path do. Jitter must not exceed RTT/2.
	Jitter time.Duration
	// PauseEvery and PauseFor model a bottleneck that pauses: at random
	// moments, PauseEvery apart on average, it forwards nothing for
	// PauseFor, then goes on where it stopped, so the packets queued
	// meanwhile wait that much longer (the WAN lab's user-space emulator
	// when descheduled on a busy machine; Wi-Fi contention; a busy
	// virtual switch).
	PauseEvery, PauseFor time.Duration
}

// BDP returns the link's bandwidth-delay product in bytes.
func (l Link) BDP() int { return int(l.Rate * l.RTT.Seconds()) }

// Packet is one packet in flight.
type Packet struct {
	Seq  uint64
	Size int
	Sent time.Time
}

// Sender is a flow's sending side.
type Sender interface {
	// Next returns when the sender next wants to send; the zero Time means
	// it is blocked until an ack or loss notice arrives.
	Next(now time.Time) time.Time
	// Send sends packet number seq at now and returns its size in bytes.
	Send(now time.Time, seq uint64) int
	// OnAck reports that p was delivered (lost false) or lost.
	OnAck(now time.Time, p Packet, lost bool)
}

// Epoch is virtual time zero.
var Epoch = time.Unix(1_000_000, 0)

// Sim is a discrete-event simulation of one link and its flows.
type Sim struct {
	link      Link
	rng       *rand.Rand
	jit       *rand.Rand // jitter draws, apart so that loss stays as without
	now       time.Time
	lastArr   time.Time    // when the last packet reached the receiver (jitter)
	pauseAt   time.Time    // start of the bottleneck's next pause (PauseEvery)
	pausePrev [2]time.Time // the pause before it, start and end
	lastDep   time.Time    // when the last accepted packet leaves the bottleneck
	flows     []*flow
	measure   time.Time // deliveries before this are not counted
}

type notice struct {
	at   time.Time
	p    Packet
	lost bool
}

type flow struct {
	s           Sender
	start, stop time.Time
	seq         uint64
	acks        []notice // in send order, so also in time order
	head        int
	st          FlowStats
}

// FlowStats are a flow's measured results over the measurement window.
type FlowStats struct {
	Delivered  int64           // bytes that crossed the link
	Sent       int64           // bytes sent
	Dropped    int             // packets dropped at the full queue
	Lost       int             // packets lost at random
	QueueDelay []time.Duration // queueing delay of each packet sent
}

// New returns a simulation of link at virtual time Epoch.
func New(link Link) *Sim {
	return &Sim{link: link, rng: rand.New(rand.NewPCG(link.Seed, 7)), jit: rand.New(rand.NewPCG(link.Seed, 11)),
		now: Epoch, lastDep: Epoch, lastArr: Epoch}
}

// Add adds a flow that sends from start until stop (0 for never) and
// returns its index.
func (s *Sim) Add(snd Sender, start, stop time.Duration) int {
	f := &flow{s: snd, start: Epoch.Add(start)}
	if stop > 0 {
		f.stop = Epoch.Add(stop)
	}
	s.flows = append(s.flows, f)
	return len(s.flows) - 1
}

// MeasureFrom starts counting statistics at virtual time Epoch+d.
func (s *Sim) MeasureFrom(d time.Duration) { s.measure = Epoch.Add(d) }

// Now returns the current virtual time.
func (s *Sim) Now() time.Time { return s.now }

// Stats returns the statistics of flow i.
func (s *Sim) Stats(i int) FlowStats { return s.flows[i].st }

// Run advances the simulation until Epoch+d.
func (s *Sim) Run(d time.Duration) {
	end := Epoch.Add(d)
	for {
		at, f, isAck := s.nextEvent()
		if f == nil || at.After(end) {
			s.now = end
			return
		}
		s.now = at
		if isAck {
			n := f.acks[f.head]
			f.head++
			if f.head > 1024 && f.head*2 > len(f.acks) {
				f.acks = slices.Delete(f.acks, 0, f.head)
				f.head = 0
			}
			f.s.OnAck(at, n.p, n.lost)
			continue
		}
		s.send(f)
	}
}

// nextEvent returns the earliest pending event; acks win ties.
func (s *Sim) nextEvent() (time.Time, *flow, bool) {
	var best time.Time
	var bf *flow
	bestAck := false
	for _, f := range s.flows {
		if f.head < len(f.acks) {
			if at := f.acks[f.head].at; bf == nil || at.Before(best) || at.Equal(best) && !bestAck {
				best, bf, bestAck = at, f, true
			}
		}
		at := s.sendTime(f)
		if !at.IsZero() && (bf == nil || at.Before(best)) {
			best, bf, bestAck = at, f, false
		}
	}
	return best, bf, bestAck
}

// sendTime returns when f next sends, or zero.
func (s *Sim) sendTime(f *flow) time.Time {
	if s.now.Before(f.start) {
		return f.start
	}
	if !f.stop.IsZero() && !s.now.Before(f.stop) {
		return time.Time{}
	}
	at := f.s.Next(s.now)
	if at.IsZero() {
		return at
	}
	if at.Before(s.now) {
		at = s.now
	}
	if !f.stop.IsZero() && !at.Before(f.stop) {
		return time.Time{}
	}
	return at
}

// send puts one packet of f through the bottleneck.
func (s *Sim) send(f *flow) {
	f.seq++
	p := Packet{Seq: f.seq, Size: f.s.Send(s.now, f.seq), Sent: s.now}
	counting := !s.now.Before(s.measure)
	// What waits in the queue is what the bottleneck has left to send
	// once it runs again: a pause holds packets, it is not bytes ahead.
	resume := s.pause(s.now)
	queued := int(max(0, s.lastDep.Sub(resume)).Seconds() * s.link.Rate)
	wait := s.pause(later(resume, s.lastDep)).Sub(s.now)
	service := time.Duration(float64(p.Size) / s.link.Rate * float64(time.Second))
	oneWay := s.link.RTT / 2
	if counting {
		f.st.Sent += int64(p.Size)
		f.st.QueueDelay = append(f.st.QueueDelay, wait)
	}
	if queued+p.Size > s.link.Buffer {
		// Dropped at the tail: the sender hears of it when the packet
		// would have been acked.
		f.notify(notice{at: s.now.Add(wait + service + s.link.RTT), p: p, lost: true})
		if counting {
			f.st.Dropped++
		}
		return
	}
	dep := s.now.Add(wait + service)
	s.lastDep = dep
	lost := s.link.Loss > 0 && s.rng.Float64() < s.link.Loss
	if counting {
		if lost {
			f.st.Lost++
		} else {
			f.st.Delivered += int64(p.Size)
		}
	}
	arr := dep.Add(oneWay)
	back := oneWay
	if j := s.link.Jitter; j > 0 {
		arr = later(arr.Add(s.jitter()), s.lastArr)
		s.lastArr = arr
		back += s.jitter()
	}
	f.notify(notice{at: arr.Add(back), p: p, lost: lost})
}

// pause returns when the bottleneck can start on a packet at t: t, or
// the end of the pause t falls in. A call may go back in time as far as
// the pause before the latest one reached.
func (s *Sim) pause(t time.Time) time.Time {
	if s.link.PauseEvery <= 0 {
		return t
	}
	if s.pauseAt.IsZero() {
		s.pauseAt = Epoch.Add(s.pauseGap())
	}
	for !t.Before(s.pauseAt.Add(s.link.PauseFor)) {
		s.pausePrev = [2]time.Time{s.pauseAt, s.pauseAt.Add(s.link.PauseFor)}
		s.pauseAt = s.pauseAt.Add(s.link.PauseFor + s.pauseGap())
	}
	switch {
	case !t.Before(s.pauseAt):
		return s.pauseAt.Add(s.link.PauseFor)
	case !t.Before(s.pausePrev[0]) && t.Before(s.pausePrev[1]):
		return s.pausePrev[1]
	}
	return t
}

// pauseGap draws the time to the next pause (exponential).
func (s *Sim) pauseGap() time.Duration {
	return time.Duration(s.jit.ExpFloat64() * float64(s.link.PauseEvery))
}

// jitter draws one direction's jitter.
func (s *Sim) jitter() time.Duration {
	return time.Duration((2*s.jit.Float64() - 1) * float64(s.link.Jitter))
}

// notify queues a notice for the sender, never ahead of the one before it.
func (f *flow) notify(n notice) {
	if k := len(f.acks); k > f.head {
		n.at = later(n.at, f.acks[k-1].at)
	}
	f.acks = append(f.acks, n)
}

func later(a, b time.Time) time.Time {
	if a.Before(b) {
		return b
	}
	return a
}

// Percentile returns the p-th percentile (0..1) of ds, sorting ds.
func Percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	i := min(len(ds)-1, int(p*float64(len(ds))))
	return ds[i]
}
