package session

import (
	"context"
	"errors"
	"io"
	"net"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/swarm-project/swarm/ratectl/simnet"
	"github.com/swarm-project/swarm/ratectl/wire"
)

func TestBidirectionalAndClose(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := simnet.New(simnet.Link{Delay: 5 * time.Millisecond, Loss: 0.02}, 6)
		c, s, ln := simPair(t, n, quietConfig())
		defer ln.Close()
		a, b := payload(300<<10), payload(200<<10)
		done := make(chan struct{})
		go func() { transfer(t, s, c, b); close(done) }()
		transfer(t, c, s, a)
		<-done
		if err := c.Close(); err != nil {
			t.Errorf("client close: %v", err)
		}
		if err := s.Close(); err != nil {
			t.Errorf("server close: %v", err)
		}
		if _, err := c.Write([]byte("x")); err == nil {
			t.Error("write after close succeeded")
		}
		if _, err := s.Read(make([]byte, 1)); err != io.EOF {
			t.Errorf("read after the peer's clean close: %v, want EOF", err)
		}
	})
}

func TestHandshakeTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := simnet.New(simnet.Link{Delay: time.Millisecond}, 1)
		cfg := quietConfig()
		cfg.HandshakeTimeout = 3 * time.Second
		start := time.Now()
		_, err := Dial(context.Background(), n.MustListen("client"), simnet.Addr("nobody"), cfg)
		if !errors.Is(err, ErrHandshakeTimeout) {
			t.Fatalf("dial to nobody: %v", err)
		}
		var ne net.Error
		if !errors.As(err, &ne) || !ne.Timeout() {
			t.Errorf("%v is not a net.Error timeout", err)
		}
		if d := time.Since(start); d != 3*time.Second {
			t.Errorf("gave up after %v", d)
		}
	})
}

func TestDialContextCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := simnet.New(simnet.Link{}, 1)
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_, err := Dial(ctx, n.MustListen("client"), simnet.Addr("nobody"), quietConfig())
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("dial: %v", err)
		}
	})
}

func TestIdleTimeoutAndKeepAlive(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := simnet.New(simnet.Link{Delay: 10 * time.Millisecond}, 2)
		cfg := quietConfig()
		cfg.IdleTimeout, cfg.KeepAlive = 5*time.Second, time.Second
		c, s, ln := simPair(t, n, cfg)
		// Keepalives hold an idle connection open past the idle timeout.
		time.Sleep(20 * time.Second)
		if c.Err() != nil || s.Err() != nil {
			t.Fatalf("idle but alive connection ended: %v / %v", c.Err(), s.Err())
		}
		// The server vanishes: the client times out.
		ln.Close()
		<-c.Done()
		if !errors.Is(c.Err(), ErrIdleTimeout) && !errors.Is(c.Err(), ErrClosed) {
			t.Fatalf("client ended with %v", c.Err())
		}
		c.Close()
	})
}

func TestServerGoneIdleTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := simnet.New(simnet.Link{Delay: 10 * time.Millisecond}, 2)
		cfg := quietConfig()
		cfg.IdleTimeout = 5 * time.Second
		c, _, ln := simPair(t, n, cfg)
		// Cut the path silently: the server's socket stops receiving.
		n.SetLink("client", "server", simnet.Link{Loss: 1})
		n.SetLink("server", "client", simnet.Link{Loss: 1})
		<-c.Done()
		if !errors.Is(c.Err(), ErrIdleTimeout) {
			t.Fatalf("client ended with %v, want idle timeout", c.Err())
		}
		c.Close()
		ln.Close()
	})
}

func TestDeadlines(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := simnet.New(simnet.Link{Delay: time.Millisecond}, 2)
		cfg := quietConfig()
		cfg.SendBuffer = 64 << 10
		c, s, ln := simPair(t, n, cfg)
		defer ln.Close()
		c.SetReadDeadline(time.Now().Add(time.Second))
		if _, err := c.Read(make([]byte, 10)); !errors.Is(err, ErrDeadline) {
			t.Fatalf("read past deadline: %v", err)
		}
		c.SetReadDeadline(time.Time{})
		// Nobody reads at the server and its window is 1 MiB: writes block
		// once window and send buffer are full.
		c.SetWriteDeadline(time.Now().Add(5 * time.Second))
		k, err := c.Write(make([]byte, 4<<20))
		var ne net.Error
		if !errors.As(err, &ne) || !ne.Timeout() || k >= 4<<20 {
			t.Fatalf("write past deadline: %d, %v", k, err)
		}
		s.Close()
		c.Close()
	})
}

// TestClosedConnectionAnswers: a recently closed connection answers a
// late packet from its peer with its Close, but not a malformed one and
// not the peer's own Close (two closed ends would answer each other).
func TestClosedConnectionAnswers(t *testing.T) {
	n := simnet.New(simnet.Link{Delay: time.Millisecond}, 1)
	client, server, ln := simPair(t, n, quietConfig())
	defer ln.Close()
	id := server.localID
	if err := server.Close(); err != nil {
		t.Fatal(err)
	}
	client.Close()
	peer := n.MustListen("client") // the closed client's address, now ours
	defer peer.Close()
	var closes atomic.Int64
	countReplies(peer, func(b []byte) {
		if typ, _, err := wire.PeekHeader(b); err == nil && typ == wire.TypeClose {
			closes.Add(1)
		}
	})
	time.Sleep(200 * time.Millisecond) // the server's own Closes, sent twice, are in
	ping := (&wire.Ping{DestID: id, Number: 7}).Append(nil)
	for _, c := range []struct {
		name string
		pkt  []byte
		want int64
	}{
		{"a truncated Ping", ping[:len(ping)-1], 0},
		{"the peer's Close", (&wire.Close{DestID: id, Code: 0}).Append(nil), 0},
		{"a late Ping", ping, 1},
	} {
		before := closes.Load()
		spoof(ln.ep, c.pkt, simnet.Addr("client"))
		time.Sleep(50 * time.Millisecond)
		if got := closes.Load() - before; got != c.want {
			t.Errorf("%s: %d Closes in answer, want %d", c.name, got, c.want)
		}
	}
}
