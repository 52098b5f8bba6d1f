package session

import (
	"context"
	"io"
	"math/rand/v2"
	"net"
	"testing"
	"testing/synctest"
	"time"

	"github.com/swarm-project/swarm/ratectl/simnet"
	"github.com/swarm-project/swarm/ratectl/wire"
)

// listenAndEndpoint starts a listener at "server" with cfg and a client
// endpoint at "client"; both close when the test ends.
func listenAndEndpoint(t *testing.T, n *simnet.Network, cfg Config) (*Listener, *Endpoint) {
	t.Helper()
	ln, err := Listen(n.MustListen("server"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	ep, err := NewEndpoint(n.MustListen("client"), quietConfig(), false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ep.Close() })
	return ln, ep
}

// echoOnce accepts one connection, reads n bytes and writes them back.
func echoOnce(t *testing.T, ln *Listener, n int) {
	c, err := ln.Accept(context.Background())
	if err != nil {
		t.Errorf("accept: %v", err)
		return
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(c, buf); err != nil {
		t.Errorf("server read: %v", err)
		return
	}
	if _, err := c.Write(buf); err != nil {
		t.Errorf("server write: %v", err)
	}
}

// roundTrip writes msg to c and checks that echoOnce sends it back.
func roundTrip(t *testing.T, c *Conn, msg []byte) {
	t.Helper()
	if _, err := c.Write(msg); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, len(msg))
	if _, err := io.ReadFull(c, got); err != nil {
		t.Fatal(err)
	}
	if string(got) != string(msg) {
		t.Fatal("the echo differs from what was sent")
	}
}

// TestEarlyDataSavesARoundTrip: a client that speaks first (as TLS's
// ClientHello does) has its answer one round trip after it dialled when
// its first bytes ride with the Initial (DialEarly), against two when it
// waits for the handshake (Dial).
func TestEarlyDataSavesARoundTrip(t *testing.T) {
	const rtt = 200 * time.Millisecond
	for _, early := range []bool{true, false} {
		synctest.Test(t, func(t *testing.T) {
			n := simnet.New(simnet.Link{Delay: rtt / 2}, 1)
			ln, ep := listenAndEndpoint(t, n, quietConfig())
			msg := payload(700)
			go echoOnce(t, ln, len(msg))
			start := time.Now()
			c := dial(t, ep, early)
			roundTrip(t, c, msg)
			took := time.Since(start)
			t.Logf("early data %v: answer after %v (RTT %v)", early, took, rtt)
			if early && took >= rtt*3/2 {
				t.Errorf("with early data the answer took %v, want about one RTT (%v)", took, rtt)
			}
			if !early && took < 2*rtt {
				t.Errorf("without early data the answer took %v, under two RTTs: the test no longer tells them apart", took)
			}
			c.CloseAsync()
		})
	}
}

// TestEarlyDataDoesNotAmplify: a spoofer knows the Initial's dest ID, so
// it can send early data, but never the server's connection ID. The
// server hands the connection to its application, which writes a lot;
// until confirmed, the server must send at most three times what it
// received, and the connection must end at the handshake timeout.
func TestEarlyDataDoesNotAmplify(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ln, atk := serverAndVictim(t, quietConfig())
		got := countReplies(atk, nil)
		served := make(chan error, 1)
		go func() {
			c, err := ln.Accept(context.Background())
			if err != nil {
				served <- err
				return
			}
			if _, err := c.Write(payload(1 << 20)); err != nil { // a large answer to the "ClientHello"
				served <- err
				return
			}
			_, err = io.Copy(io.Discard, c) // the early data, then the end
			served <- err
		}()
		dest, send, sent := spoofedClient(atk, 0)
		d := wire.Data{DestID: dest, Number: 0, Payload: payload(300)}
		send(d.Append(nil))
		time.Sleep(11 * time.Second) // past the handshake timeout (10 s)
		if err := <-served; err == nil {
			t.Fatal("an unconfirmed connection handed to the application did not end at the handshake timeout")
		}
		synctest.Wait()
		if got.Load() > 3*int64(*sent) {
			t.Fatalf("server sent %d bytes to an unconfirmed address that sent %d: amplification", got.Load(), *sent)
		}
		if got.Load() < int64(*sent) {
			t.Fatalf("server sent %d bytes for %d received: the early data was not answered", got.Load(), *sent)
		}
		t.Logf("unconfirmed client sent %d bytes, drew %d", *sent, got.Load())
		if c := ln.ep.connCount(); c != 0 {
			t.Fatalf("%d connections left after the handshake timeout", c)
		}
	})
}

// TestEarlyDataAfterRetry: a server at its limit of unproven connections
// answers with a Retry and drops the early data; the client sends it
// again once the handshake completes, and the stream arrives whole.
func TestEarlyDataAfterRetry(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := simnet.New(simnet.Link{Delay: 10 * time.Millisecond}, 1)
		cfg := quietConfig()
		cfg.UnprovenLimit = -1 // every Initial without a cookie draws a Retry
		ln, ep := listenAndEndpoint(t, n, cfg)
		msg := payload(5000)
		go echoOnce(t, ln, len(msg))
		c, err := ep.DialEarly(simnet.Addr("server"))
		if err != nil {
			t.Fatal(err)
		}
		roundTrip(t, c, msg)
		c.CloseAsync()
	})
}

// TestEarlyDataFillsItsAllowance: 16 KiB written at once all go before
// the Accept (the pacer's first burst is smaller: the loop must wake for
// the rest), and many small writes before the Accept stay under the
// server's early packet number limit (the server would drop the rest, and
// the client count them lost).
func TestEarlyDataFillsItsAllowance(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const rtt = 200 * time.Millisecond
		ln, ep := listenAndEndpoint(t, simnet.New(simnet.Link{Delay: rtt / 2}, 1), quietConfig())
		msg := payload(earlyDataLimit)
		go echoOnce(t, ln, len(msg))
		start := time.Now()
		c := dial(t, ep, true)
		roundTrip(t, c, msg)
		if took := time.Since(start); took >= rtt*3/2 {
			t.Errorf("16 KiB of early data answered after %v, want about one RTT (%v)", took, rtt)
		}
		c.CloseAsync()
	})
	synctest.Test(t, func(t *testing.T) {
		const rtt = 2 * time.Second
		ln, ep := listenAndEndpoint(t, simnet.New(simnet.Link{Delay: rtt / 2}, 1), quietConfig())
		go echoOnce(t, ln, 300)
		c := dial(t, ep, true)
		for range 30 {
			if _, err := c.Write(make([]byte, 10)); err != nil {
				t.Fatal(err)
			}
			time.Sleep(20 * time.Millisecond)
		}
		if _, err := io.ReadFull(c, make([]byte, 300)); err != nil {
			t.Fatal(err)
		}
		if lost := c.Stats().PacketsLost; lost != 0 {
			t.Errorf("%d packets lost on a lossless path after many small early writes, want 0", lost)
		}
		c.CloseAsync()
	})
}

// spoofedClient sends from atk, as a spoofer of atk's address would, a
// random Initial to "server"; send sends more (waiting pause after each)
// and sent counts every byte. It returns the Initial's dest ID, which the
// spoofer knows, unlike the server's connection ID.
func spoofedClient(atk net.PacketConn, pause time.Duration) (dest wire.ConnID, send func([]byte), sent *int) {
	rng := rand.New(rand.NewPCG(3, 4))
	ini := wire.Initial{Version: wire.Version, Window: 1 << 20}
	fill(rng, ini.DestID[:])
	fill(rng, ini.SrcID[:])
	n := 0
	send = func(b []byte) {
		n += len(b)
		atk.WriteTo(b, simnet.Addr("server"))
		if pause > 0 {
			time.Sleep(pause)
		}
	}
	send(ini.Append(nil))
	return ini.DestID, send, &n
}
