package probe

import (
	"encoding/binary"
	"errors"
	"net/netip"
	"sync/atomic"
	"time"
)

// BlastConfig is a paced one-way UDP stream.
type BlastConfig struct {
	Rate  int64 // offered rate in bits per second of IP packets
	Size  int   // UDP payload bytes (at least 16)
	Count int   // packets to send
}

// Result is what the sink saw.
type Result struct {
	Sent, Received  int
	Reordered       int // arrived after a later-numbered packet
	Duplicates      int
	LossBursts      int // runs of consecutive missing packets
	First, Last     time.Duration
	SendTime        time.Duration
	ReceivedIPBytes int64
	// MaxLag is how far the sender fell behind its schedule at worst; a
	// large lag means the offered load came in bursts.
	MaxLag time.Duration
}

// Loss is the fraction of sent packets that never arrived.
func (r Result) Loss() float64 {
	if r.Sent == 0 {
		return 0
	}
	return float64(r.Sent-(r.Received-r.Duplicates)) / float64(r.Sent)
}

// MeanBurst is the mean length of loss runs in packets.
func (r Result) MeanBurst() float64 {
	if r.LossBursts == 0 {
		return 0
	}
	return float64(r.Sent-(r.Received-r.Duplicates)) / float64(r.LossBursts)
}

// Rate is the receive rate in IP bits per second between the first and
// the last packet received.
func (r Result) Rate() float64 {
	if r.Received < 2 || r.Last <= r.First {
		return 0
	}
	per := float64(r.ReceivedIPBytes) / float64(r.Received)
	return (float64(r.ReceivedIPBytes) - per) * 8 / (r.Last - r.First).Seconds()
}

// Blast sends cfg.Count numbered packets from src to sink at cfg.Rate and
// counts what arrives at sink, until every packet arrived or idle passes
// with nothing new after the last one was sent.
func Blast(src, sink *Socket, cfg BlastConfig, idle time.Duration) (Result, error) {
	if cfg.Size < 16 || cfg.Count < 1 || cfg.Rate <= 0 {
		return Result{}, errors.New("probe: blast needs size >= 16, count >= 1 and a rate")
	}
	got := make(chan Result, 1)
	var sentAt atomic.Int64 // when the sender finished; 0 while sending
	go func() { got <- receive(sink, cfg.Count, idle, &sentAt) }()
	sent, took, lag, err := send(src, sink.Addr, cfg)
	sentAt.Store(int64(now()))
	r := <-got
	r.Sent, r.SendTime, r.MaxLag = sent, took, lag
	return r, err
}

func send(src *Socket, to netip.AddrPort, cfg BlastConfig) (int, time.Duration, time.Duration, error) {
	errc := make(chan error, 1)
	var sent int
	var took, lag time.Duration
	go func() {
		realtime()
		b := make([]byte, cfg.Size)
		gap := time.Duration(int64(cfg.Size+IPUDPHeader) * 8 * int64(time.Second) / cfg.Rate)
		start := now()
		for sent < cfg.Count {
			// Send what is due, then sleep a little: pacing in bursts
			// of at most 200 µs.
			t := now()
			due := int((t-start)/gap) + 1
			lag = max(lag, t-start-time.Duration(sent)*gap)
			for ; sent < min(due, cfg.Count); sent++ {
				binary.BigEndian.PutUint64(b, uint64(sent))
				if err := src.sendTo(b, to); err != nil {
					errc <- err
					return
				}
			}
			sleepUntil(now() + min(200*time.Microsecond, gap))
		}
		took = now() - start
		errc <- nil
	}()
	err := <-errc
	return sent, took, lag, err
}

// receive counts packets until all arrived, or until idle has passed since
// both the end of sending and the last arrival.
func receive(s *Socket, count int, idle time.Duration, sentAt *atomic.Int64) Result {
	realtime()
	var r Result
	seen := make([]bool, count)
	b := make([]byte, 65536)
	s.setTimeout(50 * time.Millisecond)
	highest := -1
	for r.Received-r.Duplicates < count {
		n, _, err := s.recv(b)
		t := now()
		if errors.Is(err, ErrTimeout) {
			if end := time.Duration(sentAt.Load()); end > 0 && t-max(end, r.Last) > idle {
				break
			}
			continue
		}
		if err != nil {
			break
		}
		if n < 8 {
			continue
		}
		seq := int(binary.BigEndian.Uint64(b))
		if seq < 0 || seq >= count {
			continue
		}
		if r.Received == 0 {
			r.First = t
		}
		r.Last = t
		r.Received++
		r.ReceivedIPBytes += int64(n + IPUDPHeader)
		switch {
		case seen[seq]:
			r.Duplicates++
		case seq < highest:
			r.Reordered++
		}
		seen[seq] = true
		highest = max(highest, seq)
	}
	r.LossBursts = countRuns(seen)
	return r
}

// countRuns counts runs of false values.
func countRuns(seen []bool) int {
	runs := 0
	for i, ok := range seen {
		if !ok && (i == 0 || seen[i-1]) {
			runs++
		}
	}
	return runs
}
