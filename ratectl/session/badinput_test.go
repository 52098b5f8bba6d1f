package session

import (
	"bytes"
	"math/rand/v2"
	"net"
	"testing"
	"testing/synctest"
	"time"

	"github.com/swarm-project/swarm/ratectl"
	"github.com/swarm-project/swarm/ratectl/simnet"
	"github.com/swarm-project/swarm/ratectl/wire"
)

func fill(rng *rand.Rand, b []byte) {
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
}

func (e *Endpoint) connCount() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.conns)
}

// A flood of spoofed Initials may take at most UnprovenLimit connections,
// which the handshake timeout ends; everything else draws a stateless
// Retry, and nothing amplifies.
func TestHandshakeFloodIsBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := simnet.New(simnet.Link{Delay: time.Millisecond}, 3)
		cfg := quietConfig()
		ln, err := Listen(n.MustListen("server"), cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		limit := ln.ep.cfg.UnprovenLimit
		atk := n.MustListen("attacker")
		defer atk.Close()
		got := countReplies(atk, func(b []byte) {
			if typ, _, _ := wire.PeekHeader(b); typ != wire.TypeRetry && typ != wire.TypeAccept {
				t.Errorf("server answered a flood with a %v", typ)
			}
		})
		var sent int64
		rng := rand.New(rand.NewPCG(1, 2))
		for i := range 2000 {
			p := wire.Initial{Version: wire.Version}
			fill(rng, p.DestID[:])
			fill(rng, p.SrcID[:])
			if i%2 == 1 {
				p.Cookie = make([]byte, cookieLen) // forged cookie
				fill(rng, p.Cookie)
			}
			b := p.Append(nil)
			sent += int64(len(b))
			atk.WriteTo(b, simnet.Addr("server"))
		}
		time.Sleep(100 * time.Millisecond)
		synctest.Wait()
		if c := ln.ep.connCount(); c > limit {
			t.Fatalf("flood created %d connections, limit %d", c, limit)
		}
		if got.Load() > 3*sent {
			t.Fatalf("server sent %d bytes for %d received: amplification", got.Load(), sent)
		}
		t.Logf("flood of %d bytes drew %d bytes of Retry and Accept", sent, got.Load())
		// The flood's connections never confirm: the handshake timeout ends
		// them, and a real client still gets in.
		time.Sleep(ln.ep.cfg.HandshakeTimeout + time.Second)
		synctest.Wait()
		if c := ln.ep.connCount(); c != 0 {
			t.Fatalf("%d unconfirmed connections outlived the handshake timeout", c)
		}
		ln.ep.mu.Lock()
		left := ln.ep.unproven
		ln.ep.mu.Unlock()
		if left != 0 {
			t.Fatalf("%d unproven places still taken", left)
		}
	})
}

// With UnprovenLimit 0 every new Initial draws a Retry, which allocates
// nothing.
func TestHandshakeFloodAlwaysRetryAllocatesNothing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := simnet.New(simnet.Link{Delay: time.Millisecond}, 3)
		cfg := quietConfig()
		cfg.UnprovenLimit = -1
		ln, err := Listen(n.MustListen("server"), cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		atk := n.MustListen("attacker")
		defer atk.Close()
		rng := rand.New(rand.NewPCG(3, 4))
		for range 500 {
			p := wire.Initial{Version: wire.Version}
			fill(rng, p.DestID[:])
			fill(rng, p.SrcID[:])
			atk.WriteTo(p.Append(nil), simnet.Addr("server"))
		}
		time.Sleep(100 * time.Millisecond)
		synctest.Wait()
		if c := ln.ep.connCount(); c != 0 {
			t.Fatalf("flood created %d connections", c)
		}
	})
}

// An unloaded server accepts a client in one round trip; a server asking
// for cookies (UnprovenLimit reached or negative) in two. The server's
// Accept returns half a round trip later, on the client's confirmation.
func TestHandshakeRoundTrips(t *testing.T) {
	for _, tc := range []struct {
		limit int
		rtts  int
	}{{0, 1}, {-1, 2}} {
		synctest.Test(t, func(t *testing.T) {
			const delay = 10 * time.Millisecond
			n := simnet.New(simnet.Link{Delay: delay}, 5)
			cfg := quietConfig()
			cfg.UnprovenLimit = tc.limit
			start := time.Now()
			c, s, ln := simPair(t, n, cfg)
			took := time.Since(start)
			defer ln.Close()
			defer s.Close()
			defer c.Close()
			if want := time.Duration(2*tc.rtts+1) * delay; took != want {
				t.Errorf("UnprovenLimit %d: Dial took %v, want %d round trips (%v)", tc.limit, took, tc.rtts, want)
			}
		})
	}
}

// TestBadInputDoesNotHurt sprays garbage, truncations, spoofs and bogus
// handshake packets at a server during a transfer, which must not notice.
func TestBadInputDoesNotHurt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := simnet.New(simnet.Link{Rate: ratectl.Mbps(20), Delay: 5 * time.Millisecond}, 4)
		c, s, ln := simPair(t, n, quietConfig())
		defer ln.Close()
		atk := n.MustListen("attacker")
		defer atk.Close()
		rng := rand.New(rand.NewPCG(9, 9))
		server := simnet.Addr("server")
		stop := make(chan struct{})
		done := make(chan struct{})
		go func() {
			defer close(done)
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				case <-time.After(200 * time.Microsecond):
				}
				atk.WriteTo(garbage(rng, i, s.localID), server)
			}
		}()
		data := payload(4 << 20)
		transfer(t, c, s, data)
		close(stop)
		<-done
		if err := c.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
		s.Close()
	})
}

// garbage returns a bad datagram of kind i%6 aimed at connection id.
func garbage(rng *rand.Rand, i int, id wire.ConnID) []byte {
	switch i % 6 {
	case 0: // random bytes
		b := make([]byte, rng.IntN(1500))
		fill(rng, b)
		return b
	case 1: // spoofed data with the right connection ID from a wrong address
		d := wire.Data{DestID: id, Number: rng.Uint64(), Offset: rng.Uint64N(1 << 20), Payload: []byte("evil")}
		return d.Append(nil)
	case 2: // truncated ack
		a := wire.Ack{DestID: id, Window: 1 << 40, Ranges: []wire.Range{{Smallest: 0, Largest: 1 << 30}}}
		b := a.Append(nil)
		return b[:rng.IntN(len(b))]
	case 3: // close from a stranger
		cl := wire.Close{DestID: id, Code: 9}
		return cl.Append(nil)
	case 4: // marker right, type unknown
		b := bytes.Repeat([]byte{wire.Marker | 0x0e}, 40)
		return b
	default: // accept to a server
		a := wire.Accept{DestID: id, SrcID: id}
		return a.Append(nil)
	}
}

// TestReplayAndForgedAcks feeds a connection, from the right address,
// replayed data and acks for packets never sent; it must ignore them.
func TestReplayAndForgedAcks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := simnet.New(simnet.Link{Rate: ratectl.Mbps(20), Delay: 5 * time.Millisecond}, 5)
		c, s, ln := simPair(t, n, quietConfig())
		defer ln.Close()
		data := payload(1 << 20)
		transfer(t, c, s, data)
		// Inject through the server's own loop as if from the client.
		forged := []wire.Packet{
			&wire.Data{DestID: s.localID, Number: 3, Offset: 0, Payload: []byte("overwrite?")},
			&wire.Data{DestID: s.localID, Number: 1 << 50, Offset: 1 << 50, Payload: []byte("far")},
			&wire.Ack{DestID: s.localID, Window: 1 << 50, Ranges: []wire.Range{{Smallest: 0, Largest: 1 << 40}}},
			&wire.Data{DestID: s.localID, Number: 1 << 45, Offset: uint64(len(data)) + 5, Fin: true},
		}
		for _, p := range forged {
			b := p.Append(nil)
			buf := s.ep.small.get()
			k := copy(buf.b, b)
			s.deliver(inPacket{buf: buf, b: buf.b[:k], seg: k})
		}
		time.Sleep(50 * time.Millisecond)
		synctest.Wait()
		// The FIN moved: a protocol violation ends the connection; nothing
		// else may have changed what was read.
		if err := s.Err(); err == nil {
			t.Errorf("moved FIN accepted")
		}
		if st := s.Stats(); st.BytesRecv != int64(len(data)) {
			t.Errorf("received %d bytes after forgeries, want %d", st.BytesRecv, len(data))
		}
		c.Close()
		s.Close()
	})
}

var _ net.PacketConn = (*simnet.PacketConn)(nil)
