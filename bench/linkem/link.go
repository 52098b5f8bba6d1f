package linkem

import (
	"math/rand/v2"
	"time"
)

// Fate is what happened to a packet.
type Fate uint8

// Fates of a packet.
const (
	Deliver   Fate = iota // delivered at Verdict.Due
	DropQueue             // dropped by the drop-tail queue
	DropLoss              // lost on the wire by the loss model
)

func (f Fate) String() string {
	switch f {
	case Deliver:
		return "deliver"
	case DropQueue:
		return "drop-queue"
	case DropLoss:
		return "drop-loss"
	}
	return "unknown"
}

// Verdict is the model's decision for one packet.
type Verdict struct {
	Fate Fate
	// Due is when the packet leaves the far end of the link.
	Due time.Duration
	// Dup reports that a second copy is delivered, also at Due.
	Dup bool
}

// Stats counts what the link did. Bytes are IP bytes.
type Stats struct {
	Packets, Bytes            uint64 // offered to the link
	Delivered, DeliveredBytes uint64 // leaving the link (duplicates included)
	DroppedQueue, DroppedLoss uint64
	Duplicated, Reordered     uint64
	MaxQueueBytes             int64
}

// Link is one direction of an emulated link. It is not safe for concurrent
// use: one goroutine owns it.
type Link struct {
	cfg        Config
	limit      int64
	reorderBy  time.Duration
	loss       LossModel
	rng        *rand.Rand
	lastDepart time.Duration
	lastDue    time.Duration
	stats      Stats
}

// New returns a link for a valid configuration, with its randomness seeded
// by seed.
func New(cfg Config, seed uint64) (*Link, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	rd := cfg.ReorderDelay
	if rd == 0 {
		rd = DefaultReorderDelay
	}
	return &Link{
		cfg:       cfg,
		limit:     cfg.QueueLimit(),
		reorderBy: rd,
		loss:      NewLossModel(cfg.Loss),
		rng:       rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
	}, nil
}

// Config returns the link's configuration.
func (l *Link) Config() Config { return l.cfg }

// Stats returns the counters so far.
func (l *Link) Stats() Stats { return l.stats }

// Backlog is the number of bytes waiting for or in serialisation at now.
func (l *Link) Backlog(now time.Duration) int64 {
	if l.cfg.Rate == 0 || l.lastDepart <= now {
		return 0
	}
	return bytesIn(l.lastDepart-now, l.cfg.Rate)
}

// Send offers a packet of size bytes to the link at now. Calls must come
// with non-decreasing now.
func (l *Link) Send(now time.Duration, size int) Verdict {
	l.stats.Packets++
	l.stats.Bytes += uint64(size)
	depart, ok := l.serialise(now, size)
	if !ok {
		l.stats.DroppedQueue++
		return Verdict{Fate: DropQueue}
	}
	if l.loss.Lose(l.rng) {
		l.stats.DroppedLoss++
		return Verdict{Fate: DropLoss}
	}
	v := Verdict{Fate: Deliver, Due: l.propagate(depart)}
	v.Dup = l.cfg.Duplicate > 0 && l.rng.Float64() < l.cfg.Duplicate
	n := uint64(1)
	if v.Dup {
		l.stats.Duplicated++
		n = 2
	}
	l.stats.Delivered += n
	l.stats.DeliveredBytes += n * uint64(size)
	return v
}

// serialise applies the drop-tail queue and the bottleneck; it returns when
// the packet's last bit leaves the bottleneck.
func (l *Link) serialise(now time.Duration, size int) (time.Duration, bool) {
	if l.cfg.Rate == 0 {
		return now, true
	}
	backlog := l.Backlog(now)
	if backlog+int64(size) > l.limit {
		return 0, false
	}
	l.stats.MaxQueueBytes = max(l.stats.MaxQueueBytes, backlog+int64(size))
	l.lastDepart = max(now, l.lastDepart) + TxTime(size, l.cfg.Rate)
	return l.lastDepart, true
}

// propagate adds delay, jitter and reordering to a departure time.
func (l *Link) propagate(depart time.Duration) time.Duration {
	due := depart + l.cfg.Delay
	if j := l.cfg.Jitter; j > 0 {
		due += time.Duration(l.rng.Int64N(int64(2*j)+1)) - j
		due = max(due, depart)
	}
	if !l.cfg.JitterReorders {
		due = max(due, l.lastDue) // order kept, as a FIFO path keeps it
	}
	if l.cfg.Reorder > 0 && l.rng.Float64() < l.cfg.Reorder {
		l.stats.Reordered++
		return due + l.reorderBy // overtaken; the packets after it are not held
	}
	l.lastDue = due
	return due
}
