package p2p

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"testing/synctest"
	"time"

	mss "github.com/multiformats/go-multistream"

	"github.com/swarm-project/swarm/ratectl/session"
	"github.com/swarm-project/swarm/ratectl/simnet"
)

// lazyPair dials a session over a simulated path of round trip rtt and
// returns the dialer's side, answering its own proposal, and the
// listener's connection once accepted.
func lazyPair(t *testing.T, rtt time.Duration) (*maConn, <-chan *session.Conn) {
	t.Helper()
	n := simnet.New(simnet.Link{Delay: rtt / 2}, 1)
	cfg := session.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	ln, err := session.Listen(n.MustListen("server"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	ep, err := session.NewEndpoint(n.MustListen("client"), cfg, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ep.Close() })
	sc, err := ep.DialEarly(simnet.Addr("server"))
	if err != nil {
		t.Fatal(err)
	}
	srv := make(chan *session.Conn, 1)
	go func() {
		c, err := ln.Accept(context.Background())
		if err != nil {
			t.Errorf("accept: %v", err)
		}
		srv <- c
	}()
	return &maConn{Conn: sc, lazy: newLazySelect()}, srv
}

// TestLazySelectSavesARoundTrip: the dialer's proposal is answered at once
// and its first message rides behind it; a real multistream listener
// accepts both, and the dialer has the answer one round trip after it
// dialled (two with the negotiation's own round trip).
func TestLazySelectSavesARoundTrip(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const rtt = 200 * time.Millisecond
		mc, srv := lazyPair(t, rtt)
		go func() {
			s := <-srv
			m := mss.NewMultistreamMuxer[string]()
			m.AddHandler("/tls/1.0.0", nil)
			if _, _, err := m.Negotiate(s); err != nil {
				t.Errorf("listener's negotiation: %v", err)
				return
			}
			buf := make([]byte, 5)
			if _, err := io.ReadFull(s, buf); err != nil || string(buf) != "hello" {
				t.Errorf("listener read %q, %v", buf, err)
				return
			}
			s.Write([]byte("world"))
		}()
		start := time.Now()
		proto, err := mss.SelectOneOf([]string{"/tls/1.0.0", "/noise"}, mc)
		if err != nil || proto != "/tls/1.0.0" {
			t.Fatalf("select: %q, %v", proto, err)
		}
		if d := time.Since(start); d != 0 {
			t.Errorf("the proposal took %v to be answered, want no wait", d)
		}
		mc.Write([]byte("hello"))
		buf := make([]byte, 5)
		if _, err := io.ReadFull(mc, buf); err != nil || string(buf) != "world" {
			t.Fatalf("dialer read %q, %v", buf, err)
		}
		if d := time.Since(start); d > rtt*3/2 {
			t.Errorf("answer after %v, want one round trip (%v)", d, rtt)
		}
		mc.Close()
	})
}

// TestLazySelectRefused: a listener that refuses the protocol fails the
// dialer's connection at its next read, as the negotiation would have.
func TestLazySelectRefused(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mc, srv := lazyPair(t, 20*time.Millisecond)
		go func() {
			s := <-srv
			m := mss.NewMultistreamMuxer[string]()
			m.AddHandler("/noise", nil)
			m.Negotiate(s) // answers "na", then fails on what follows
			s.CloseAsync()
		}()
		if _, err := mss.SelectOneOf([]string{"/tls/1.0.0"}, mc); err != nil {
			t.Fatalf("select: %v", err)
		}
		mc.Write([]byte("client hello"))
		_, err := mc.Read(make([]byte, 16))
		if !errors.Is(err, ErrProtocolRefused) {
			t.Fatalf("read after a refused proposal: %v, want ErrProtocolRefused", err)
		}
		mc.Close()
	})
}

// A first write that is not a proposal passes through, and reads are the
// connection's own.
func TestLazySelectPassesOtherWrites(t *testing.T) {
	for _, p := range [][]byte{[]byte("hello"), append(append([]byte{}, mssHeader...), 5, 'a', 'b'), mssHeader} {
		if isProposal(p) {
			t.Errorf("%q taken for a proposal", p)
		}
	}
	if !isProposal(append(append([]byte{}, mssHeader...), append([]byte{11}, "/tls/1.0.0\n"...)...)) {
		t.Error("a header and /tls/1.0.0 not taken for a proposal")
	}
}
