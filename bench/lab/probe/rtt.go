package probe

import (
	"encoding/binary"
	"net/netip"
	"time"

	"golang.org/x/sys/unix"
)

// Echo sends every datagram back to where it came from until the socket
// is closed. Run it in its own goroutine.
func Echo(s *Socket) {
	realtime()
	b := make([]byte, 65536)
	s.setTimeout(0)
	for {
		n, from, err := s.recv(b)
		if err != nil {
			return
		}
		_ = unix.Sendto(s.fd, b[:n], 0, from)
	}
}

// RTT sends count probes of size bytes to an Echo at to, gap apart, and
// returns the round-trip time of each probe that came back (lost probes
// are left out).
func RTT(s *Socket, to netip.AddrPort, count, size int, gap time.Duration) ([]time.Duration, error) {
	type result struct {
		rtts []time.Duration
		err  error
	}
	done := make(chan result, 1)
	go func() {
		realtime()
		var r result
		b := make([]byte, max(size, 16))
		rb := make([]byte, 65536)
		s.setTimeout(gap + 2*time.Second)
		for i := range count {
			sent := now()
			binary.BigEndian.PutUint64(b, uint64(i))
			if r.err = s.sendTo(b, to); r.err != nil {
				break
			}
			if rtt, ok := waitEcho(s, rb, uint64(i), sent); ok {
				r.rtts = append(r.rtts, rtt)
			}
			sleepUntil(sent + gap)
		}
		done <- r
	}()
	r := <-done
	return r.rtts, r.err
}

// waitEcho waits for probe seq's echo, skipping late echoes of older
// probes.
func waitEcho(s *Socket, b []byte, seq uint64, sent time.Duration) (time.Duration, bool) {
	for {
		n, _, err := s.recv(b)
		if err != nil {
			return 0, false
		}
		if n >= 8 && binary.BigEndian.Uint64(b) == seq {
			return now() - sent, true
		}
	}
}

func sleepUntil(t time.Duration) {
	for {
		d := t - now()
		if d <= 0 {
			return
		}
		ts := unix.NsecToTimespec(int64(d))
		_ = unix.Nanosleep(&ts, nil)
	}
}
