package session

// Early data under attack and at the edges (found by a review of the
// first early-data change; see docs/ratectl.md, "Early data").

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"testing"
	"testing/synctest"
	"time"

	"github.com/swarm-project/swarm/ratectl/simnet"
	"github.com/swarm-project/swarm/ratectl/wire"
)

// A spoofer that knows only the Initial's dest ID draws large Acks with tiny
// early Data packets whose numbers are far apart (and then duplicates).
func TestEarlyDataAcksDoNotAmplify(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ln, atk := serverAndVictim(t, quietConfig())
		var acks int
		got := countReplies(atk, func(b []byte) {
			if typ, _, _ := wire.PeekHeader(b); typ == wire.TypeAck {
				acks++
			}
		})
		go func() { // the application accepts and does nothing
			c, err := ln.Accept(context.Background())
			if err == nil {
				io.Copy(io.Discard, c)
			}
		}()
		dest, send, sent := spoofedClient(atk, time.Millisecond)
		for i := range uint64(64) {
			d := wire.Data{DestID: dest, Number: (i + 1) << 57, Payload: []byte{1}}
			send(d.Append(nil))
		}
		for range 500 {
			d := wire.Data{DestID: dest, Number: 64 << 57, Payload: []byte{1}} // a duplicate
			send(d.Append(nil))
		}
		time.Sleep(100 * time.Millisecond)
		synctest.Wait()
		t.Logf("spoofer sent %d bytes, victim received %d (%.1fx), %d acks", *sent, got.Load(), float64(got.Load())/float64(*sent), acks)
		if got.Load() > 3*int64(*sent) {
			t.Errorf("amplification: %d > 3 x %d", got.Load(), *sent)
		}
	})
}

// A spoofer sending early Data now and then must not keep an unconfirmed
// connection (and its unproven place) past the handshake timeout; it did
// when early Data refreshed the timeout. (Blocked acks and keepalives
// once spun the loop here: the test then hung.)
func TestEarlyDataDoesNotExtendTheHandshake(t *testing.T) {
	const iters = 60
	synctest.Test(t, func(t *testing.T) {
		ln, atk := serverAndVictim(t, quietConfig())
		got := countReplies(atk, nil)
		go func() {
			c, err := ln.Accept(context.Background())
			if err == nil {
				c.Write(payload(1 << 20))
				io.Copy(io.Discard, c)
			}
		}()
		dest, send, sent := spoofedClient(atk, 0)
		for i := range uint64(iters) {
			d := wire.Data{DestID: dest, Number: i, Offset: i, Payload: []byte{1}}
			send(d.Append(nil))
			time.Sleep(5 * time.Second)
		}
		synctest.Wait()
		ln.ep.mu.Lock()
		unproven := ln.ep.unproven
		ln.ep.mu.Unlock()
		t.Logf("after 300 s: %d conns, %d unproven; spoofer sent %d, victim got %d", ln.ep.connCount(), unproven, *sent, got.Load())
		if ln.ep.connCount() != 0 {
			t.Errorf("an unconfirmed connection outlived the 10 s handshake timeout by 290 s")
		}
	})
}

// spoof hands ep a datagram b as if it came from addr.
func spoof(ep *Endpoint, b []byte, addr simnet.Addr) {
	m := rxMsg{buf: ep.small.get(), n: len(b), seg: len(b), addr: addr}
	copy(m.buf.b, b)
	ep.dispatch(&m)
	m.buf.release()
}

// After confirmation, a Data packet to the Initial's dest ID from the
// client's address still reaches the connection; one with a huge packet
// number makes every later server Ack acknowledge a number the client never
// sent, and the client ignores them all: the client's sending stalls.
func TestEarlyDataAfterConfirmationIsDropped(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := simnet.New(simnet.Link{Delay: 10 * time.Millisecond}, 1)
		ln, ep := listenAndEndpoint(t, n, quietConfig())
		srv := acceptOne(t, ln)
		c, err := ep.DialEarly(simnet.Addr("server"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Write([]byte("hello")); err != nil {
			t.Fatal(err)
		}
		s := <-srv
		buf := make([]byte, 5)
		io.ReadFull(s, buf)
		<-c.established
		time.Sleep(time.Second) // well confirmed
		dest := c.st.initialDest
		d := wire.Data{DestID: dest, Number: 1 << 60, Offset: 0, Payload: []byte("h")}
		if os.Getenv("NOSPOOF") == "" {
			spoof(ln.ep, d.Append(nil), simnet.Addr("client"))
		}
		got := make(chan int64, 1)
		go func() { k, _ := io.Copy(io.Discard, s); got <- k }()
		done := make(chan error, 1)
		go func() { _, err := c.Write(payload(20 << 20)); c.CloseAsync(); done <- err }()
		select {
		case err := <-done:
			t.Logf("write finished: %v", err)
		case <-time.After(60 * time.Second):
			st := c.Stats()
			t.Errorf("client write of 20 MiB stalled after one injected packet; stats %+v", st)
		}
	})
}

// TestEarlyDataRetryIsNoLoss: after a Retry the early data goes again
// from the start, not counted as lost nor shown to the rate controller.
func TestEarlyDataRetryIsNoLoss(t *testing.T) {
	for _, early := range []bool{true, false} {
		synctest.Test(t, func(t *testing.T) {
			n := simnet.New(simnet.Link{Delay: 50 * time.Millisecond}, 1)
			cfg := quietConfig()
			cfg.UnprovenLimit = -1
			ln, ep := listenAndEndpoint(t, n, cfg)
			msg := payload(12000)
			go echoOnce(t, ln, len(msg))
			start := time.Now()
			c := dial(t, ep, early)
			roundTrip(t, c, msg)
			st := c.Stats()
			t.Logf("early %v: echo after %v; client lost %d packets, retrans %d B, mode %s rate %.0f", early, time.Since(start), st.PacketsLost, st.BytesRetrans, st.Mode, st.Rate)
			if st.PacketsLost != 0 {
				t.Errorf("early %v: %d packets counted lost after a Retry, want 0 (the early data the server dropped is sent again, not lost)", early, st.PacketsLost)
			}
			c.CloseAsync()
		})
	}
}

func TestEarlyDialNobodyAnswers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := simnet.New(simnet.Link{Delay: 10 * time.Millisecond}, 1)
		defer n.MustListen("server").Close() // nobody answers
		ep, err := NewEndpoint(n.MustListen("client"), quietConfig(), false)
		if err != nil {
			t.Fatal(err)
		}
		defer ep.Close()
		c, _ := ep.DialEarly(simnet.Addr("server"))
		start := time.Now()
		_, werr := c.Write(payload(100))
		_, rerr := c.Read(make([]byte, 10))
		t.Logf("write %v; read after %v: %v", werr, time.Since(start), rerr)
		if !errors.Is(rerr, ErrHandshakeTimeout) {
			t.Errorf("read on an early dial nobody answers: %v, want ErrHandshakeTimeout", rerr)
		}
	})
}

// The accept queue is full: a connection that came with early data waits
// for its confirmation and is then refused with a Close, so its client
// learns at once (it used to be dropped unconfirmed, without a Close, and
// its client waited for the idle timeout).
func TestEarlyDataAcceptQueueFull(t *testing.T) {
	for _, early := range []bool{true, false} {
		synctest.Test(t, func(t *testing.T) {
			n := simnet.New(simnet.Link{Delay: 10 * time.Millisecond}, 1)
			cfg := quietConfig()
			cfg.AcceptQueue = 1
			ln, err := Listen(n.MustListen("server"), cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			var conns []*Conn
			for _, a := range []simnet.Addr{"c1", "c2"} {
				ep, err := NewEndpoint(n.MustListen(a), quietConfig(), false)
				if err != nil {
					t.Fatal(err)
				}
				defer ep.Close()
				c := dial(t, ep, early)
				if early {
					time.Sleep(5 * time.Millisecond) // the Data leaves after the Initial, before the Accept arrives
				}
				c.Write(payload(100))
				conns = append(conns, c)
				time.Sleep(100 * time.Millisecond)
			}
			start := time.Now()
			_, rerr := conns[1].Read(make([]byte, 10))
			t.Logf("early %v: second client's read failed after %v: %v", early, time.Since(start), rerr)
			if rerr == nil || time.Since(start) > time.Second {
				t.Errorf("early %v: second client's read returned %v after %v, want a prompt error", early, rerr, time.Since(start))
			}
		})
	}
}

// dial dials "server" from ep, early (DialEarly) or waiting for the
// handshake (Dial).
func dial(t *testing.T, ep *Endpoint, early bool) *Conn {
	t.Helper()
	var c *Conn
	var err error
	if early {
		c, err = ep.DialEarly(simnet.Addr("server"))
	} else {
		c, err = ep.Dial(t.Context(), simnet.Addr("server"))
	}
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// serverAndVictim starts a listener at "server" and a spoofer's victim at
// "victim" on a network with 5 ms of delay; both close with the test.
func serverAndVictim(t *testing.T, cfg Config) (*Listener, net.PacketConn) {
	t.Helper()
	n := simnet.New(simnet.Link{Delay: 5 * time.Millisecond}, 1)
	ln, err := Listen(n.MustListen("server"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	atk := n.MustListen("victim")
	t.Cleanup(func() { atk.Close() })
	return ln, atk
}
