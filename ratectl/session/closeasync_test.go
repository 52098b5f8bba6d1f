package session

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/synctest"
	"time"

	"github.com/swarm-project/swarm/ratectl"
	"github.com/swarm-project/swarm/ratectl/simnet"
)

// TestCloseAsyncDelivers: CloseAsync returns at once, where Close waits a
// round trip for the acknowledgement, and what was written still arrives
// whole, ended by EOF, and the close is clean.
func TestCloseAsyncDelivers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const delay = 100 * time.Millisecond
		n := simnet.New(simnet.Link{Rate: ratectl.Mbps(20), Delay: delay, Loss: 0.02}, 5)
		c, s, ln := simPair(t, n, quietConfig())
		defer ln.Close()
		data := payload(1 << 20)
		if _, err := s.Write(data); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		s.CloseAsync()
		if d := time.Since(start); d > time.Millisecond {
			t.Fatalf("CloseAsync took %v", d)
		}
		select {
		case <-s.done:
			t.Fatal("the connection ended before its data was delivered")
		default:
		}
		if _, err := s.Read(make([]byte, 1)); !errors.Is(err, ErrClosed) {
			t.Fatalf("read after CloseAsync: %v, want ErrClosed at once", err)
		}
		got, err := io.ReadAll(c)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("read %d of %d bytes, err %v", len(got), len(data), err)
		}
		if err := s.Close(); err != nil { // waits for the background close
			t.Fatalf("the close after CloseAsync was not clean: %v", err)
		}
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
	})
}

// TestEndpointCloseEndsLingeringConns: a connection closed with CloseAsync
// whose data is still unacknowledged (1 MiB at 20 Mbit/s takes 400 ms)
// ends at once when its endpoint closes, and the peer learns it.
func TestEndpointCloseEndsLingeringConns(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := simnet.New(simnet.Link{Rate: ratectl.Mbps(20), Delay: 50 * time.Millisecond}, 6)
		c, s, ln := simPair(t, n, quietConfig())
		if _, err := s.Write(payload(1 << 20)); err != nil {
			t.Fatal(err)
		}
		s.CloseAsync()
		start := time.Now()
		ln.Close()
		if d := time.Since(start); d > 10*time.Millisecond {
			t.Fatalf("closing the endpoint waited %v for a lingering connection", d)
		}
		_, err := io.ReadAll(c)
		var ce *CloseError
		if !errors.As(err, &ce) || ce.Code != CodeAbort {
			t.Fatalf("peer's read ended with %v, want the abort close", err)
		}
		c.Close()
	})
}

// TestCloseAsyncReleasesABlockedWrite: a Write waiting for room (the
// peer reads nothing) returns ErrClosed when the connection is closed
// with CloseAsync, as net.Conn's Close must unblock it; it once waited
// for the close timeout.
func TestCloseAsyncReleasesABlockedWrite(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := simnet.New(simnet.Link{Rate: ratectl.Mbps(20), Delay: 10 * time.Millisecond}, 7)
		cfg := quietConfig()
		cfg.SendBuffer = 256 << 10
		cfg.MaxWindow = 256 << 10
		c, s, ln := simPair(t, n, cfg)
		defer ln.Close()
		werr := make(chan error, 1)
		go func() {
			_, err := s.Write(payload(8 << 20))
			werr <- err
		}()
		time.Sleep(time.Second)
		synctest.Wait()
		select {
		case err := <-werr:
			t.Fatalf("write ended before the close: %v", err)
		default:
		}
		start := time.Now()
		s.CloseAsync()
		if err := <-werr; !errors.Is(err, ErrClosed) {
			t.Fatalf("blocked write ended with %v, want ErrClosed", err)
		}
		if d := time.Since(start); d > time.Millisecond {
			t.Fatalf("blocked write returned %v after CloseAsync", d)
		}
		c.Close()
	})
}
