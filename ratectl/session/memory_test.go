package session

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/swarm-project/swarm/ratectl"
	"github.com/swarm-project/swarm/ratectl/simnet"
	"github.com/swarm-project/swarm/ratectl/wire"
)

func TestMemoryBudget(t *testing.T) {
	m := NewMemory(1 << 20)
	// Within the floor a connection always gets what it asks.
	m.charge(2 << 20)
	if got := m.takeUpTo(0, memFloor); got != memFloor {
		t.Errorf("over the limit, within the floor: got %d, want %d", got, memFloor)
	}
	if got := m.takeUpTo(memFloor-100, 1000); got != 100 {
		t.Errorf("over the limit, 100 bytes under the floor: got %d, want 100", got)
	}
	if m.admits(memFloor, 0, 1) {
		t.Errorf("over the limit and the floor: admitted")
	}
	if !m.admits(0, 0, memFloor) {
		t.Errorf("within the floor: refused")
	}
	m.charge(-(2<<20 + memFloor + 100))
	// Under the limit, a taker gets what is left.
	if got := m.takeUpTo(memFloor, 3<<20); got != 1<<20 {
		t.Errorf("empty budget of 1 MiB, asked 3: got %d", got)
	}
	st := m.Stats()
	if st.Used != 1<<20 || st.Peak != 2<<20+memFloor+100 || st.Refused != 3 {
		t.Errorf("stats %+v, want used 1 MiB, peak 2 MiB + floor + 100, 3 refusals", st)
	}
	// Send buffers alone do not make the budget tight for receivers;
	// bytes held past holes do, out of what the sends leave.
	tm := NewMemory(1 << 20)
	tm.charge(768 << 10)
	if tm.tight() {
		t.Errorf("tight with three quarters of the budget in send buffers and nothing held")
	}
	tm.chargeHeld(200 << 10)
	if !tm.tight() {
		t.Errorf("not tight with 200 KiB held of the 256 KiB the sends leave")
	}
	tm.charge(256 << 10)
	tm.chargeHeld(-200 << 10)
	if !tm.tight() {
		t.Errorf("not tight with the whole budget in send buffers")
	}
	if NewMemory(0).Stats().Limit != DefaultMemory {
		t.Errorf("zero limit is not the default")
	}
}

// forgeData delivers a data packet into c's loop as if its peer sent it.
func forgeData(t *testing.T, c *Conn, pn, off uint64, payload []byte) {
	b := (&wire.Data{DestID: c.localID, Number: pn, Offset: off, Payload: payload}).Append(nil)
	buf := c.ep.small.get()
	k := copy(buf.b, b)
	if !c.deliver(inPacket{buf: buf, b: buf.b[:k], seg: k}) {
		t.Fatalf("forged packet at offset %d not queued", off)
	}
}

// TestHostilePeerHoldsAtMostTheBudget: a peer that sends its whole credit
// but the first byte makes the receiver hold it all past the hole; the
// budget caps that, what was held becomes readable (and uncharged) once
// the hole is filled, and closing gives everything back.
func TestHostilePeerHoldsAtMostTheBudget(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := simnet.New(simnet.Link{Rate: ratectl.Mbps(20), Delay: 5 * time.Millisecond}, 5)
		cfg := quietConfig()
		cfg.Memory = NewMemory(64 << 10)
		c, s, ln := simPair(t, n, cfg)
		defer ln.Close()
		const seg = 1000
		pn := uint64(1 << 20)
		for off := uint64(seg); off+seg <= 1<<20; off += seg { // the initial credit
			forgeData(t, s, pn, off, payload(seg))
			if pn++; pn%32 == 0 {
				synctest.Wait() // let the loop drain its queue (64 KiB buffers: inFloor holds 64)
			}
		}
		time.Sleep(50 * time.Millisecond)
		synctest.Wait()
		st := cfg.Memory.Stats()
		if bound := st.Limit + memFloor + seg; st.HeldPeak > bound {
			t.Errorf("held %d bytes past the hole, want at most %d", st.HeldPeak, bound)
		}
		if bound := st.Limit + memFloor + inFloor + seg; st.Peak > bound {
			t.Errorf("held %d bytes with the queued datagrams, want at most %d", st.Peak, bound)
		}
		if st.Refused == 0 || st.HeldPeak < st.Limit {
			t.Errorf("stats %+v: the budget was never reached", st)
		}
		held := s.rcv.heldBytes.Load()
		forgeData(t, s, pn, 0, payload(seg))
		buf := make([]byte, 2*seg)
		got, err := io.ReadFull(s, buf[:seg])
		if err != nil || got != seg {
			t.Fatalf("read after the hole was filled: %d, %v", got, err)
		}
		synctest.Wait()
		if left := s.rcv.heldBytes.Load(); left != 0 {
			t.Errorf("%d bytes still held after the hole was filled (held %d before)", left, held)
		}
		c.Close()
		s.Close()
		synctest.Wait()
		if used := cfg.Memory.Stats().Used; used != 0 {
			t.Errorf("%d bytes charged after both ends closed", used)
		}
	})
}

// TestTransfersUnderATightBudget runs three lossy transfers at once, the
// receivers sharing a budget far smaller than what their holes hold:
// every byte arrives, and the budget is exceeded by no more than the
// per-connection floors. The senders' budget is the default.
func TestTransfersUnderATightBudget(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := simnet.New(simnet.Link{Rate: ratectl.Mbps(200), Delay: 40 * time.Millisecond, Loss: 0.02}, 11)
		srvCfg, cliCfg := quietConfig(), quietConfig()
		srvCfg.Memory, cliCfg.Memory = NewMemory(0), NewMemory(128<<10)
		ln, err := Listen(n.MustListen("server"), srvCfg)
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		const conns = 3
		data := payload(4 << 20)
		var wg sync.WaitGroup
		for i := range conns {
			cl, err := Dial(context.Background(), n.MustListen(simnet.Addr(fmt.Sprint("c", i))), simnet.Addr("server"), cliCfg)
			if err != nil {
				t.Fatal(err)
			}
			sv, err := ln.Accept(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			// A stall (a probe that the budget keeps dropping) fails in
			// a minute of simulated time instead of hanging.
			cl.SetReadDeadline(time.Now().Add(time.Minute))
			sv.SetWriteDeadline(time.Now().Add(time.Minute))
			wg.Go(func() { sv.Write(data); sv.CloseWrite() })
			wg.Go(func() {
				got, err := io.ReadAll(cl)
				if err != nil || !bytes.Equal(got, data) {
					t.Errorf("connection %d: read %d bytes (%v), want %d identical", i, len(got), err, len(data))
				}
				cl.Close()
				sv.Close()
			})
		}
		wg.Wait()
		synctest.Wait()
		for name, m := range map[string]*Memory{"receivers": cliCfg.Memory, "senders": srvCfg.Memory} {
			st := m.Stats()
			t.Logf("%s: %+v", name, st)
			if bound := st.Limit + conns*(memFloor+wire.MaxPacketSize); st.HeldPeak > bound {
				t.Errorf("%s held up to %d bytes past holes, want at most %d", name, st.HeldPeak, bound)
			}
			if bound := st.Limit + conns*(memFloor+wire.MaxPacketSize+inFloor); st.Peak > bound {
				t.Errorf("%s held up to %d bytes in all, want at most %d", name, st.Peak, bound)
			}
			if st.Refused == 0 && m == cliCfg.Memory {
				t.Errorf("%s: the budget was never reached (peak %d)", name, st.Peak)
			}
			if st.Used != 0 {
				t.Errorf("%s: %d bytes charged after every connection closed", name, st.Used)
			}
		}
	})
}

// TestWriterWaitsForTheBudget: a peer that stops acknowledging makes the
// writer wait at the budget instead of buffering its whole send buffer;
// once acks flow again the write completes.
func TestWriterWaitsForTheBudget(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		link := simnet.Link{Rate: ratectl.Mbps(50), Delay: 10 * time.Millisecond}
		n := simnet.New(link, 3)
		cfg := quietConfig()
		cfg.Memory = NewMemory(64 << 10)
		c, s, ln := simPair(t, n, cfg)
		defer ln.Close()
		n.SetLink("client", "server", simnet.Link{Delay: link.Delay, Loss: 1})
		data := payload(8 << 20)
		done := writeAndClose(s, data)
		time.Sleep(2 * time.Second)
		synctest.Wait()
		select {
		case err := <-done:
			t.Fatalf("write of 8 MiB returned (%v) with no acks", err)
		default:
		}
		if st := cfg.Memory.Stats(); st.Used > st.Limit+2*memFloor {
			t.Errorf("held %d bytes with no acks, want at most %d", st.Used, st.Limit+2*memFloor)
		}
		n.SetLink("client", "server", link)
		got, err := io.ReadAll(c)
		if err != nil || len(got) != len(data) {
			t.Fatalf("read %d bytes, %v; want %d", len(got), err, len(data))
		}
		if err := <-done; err != nil {
			t.Fatalf("write: %v", err)
		}
		c.Close()
		s.Close()
	})
}

// A receiver at its budget drops, unacknowledged, what lies past its hole,
// so the probe timeout must carry the hole's repair: the outstanding data
// lowest in the stream that the peer has not acknowledged. A copy whose
// original was acknowledged stays outstanding and must be passed over.
func TestProbeCarriesTheHole(t *testing.T) {
	var s loopState
	s.firstPN, s.nextPN = 10, 14
	s.sent = []sentPacket{
		{pn: 10, off: 0, n: 1000, state: ackedState},     // a repair, acknowledged
		{pn: 11, off: 0, n: 1000, state: outstanding},    // its copy, lost
		{pn: 12, off: 5000, n: 1000, state: outstanding}, // the hole's repair
		{pn: 13, off: 9000, n: 1000, state: outstanding}, // newest, past the hole
	}
	s.ackedPrefix = 1000
	s.ackedData.add(6000, 9000)
	s.onPTO()
	if !s.retx.covers(5000, 6000) {
		t.Errorf("the probe does not carry the hole [5000,6000): queued %+v", s.retx.s)
	}
	if s.retx.covers(0, 1000) {
		t.Errorf("the probe carries acknowledged bytes: queued %+v", s.retx.s)
	}
}

// Datagrams queued for a connection's loop count against the budget past
// inFloor: a peer flooding a connection whose loop falls behind holds no
// more than that, and the queue gives its charge back as the loop drains.
func TestQueuedDatagramsCountAgainstTheBudget(t *testing.T) {
	n := simnet.New(simnet.Link{}, 1)
	cfg := quietConfig()
	cfg.Memory = NewMemory(1 << 20)
	ep, err := NewEndpoint(n.MustListen("server"), cfg, true)
	if err != nil {
		t.Fatal(err)
	}
	defer ep.Close()
	c := newConn(ep, &ep.cfg, simnet.Addr("client"), wire.ConnID{1}, false) // its loop is not running
	var queued int64
	for range 1000 {
		buf := ep.small.get()
		if !c.deliver(inPacket{buf: buf, b: buf.b[:100], seg: 100}) {
			buf.release()
			break
		}
		queued += int64(cap(buf.b))
	}
	st := cfg.Memory.Stats()
	if queued < inFloor-smallRxBuf || queued > inFloor+st.Limit+smallRxBuf || st.Refused == 0 {
		t.Errorf("queued %d bytes (floor %d, budget %d), %+v", queued, inFloor, st.Limit, st)
	}
	if st.Used != queued {
		t.Errorf("budget charged %d for %d queued", st.Used, queued)
	}
	for len(c.in) > 0 {
		c.received(<-c.in)
	}
	if used := cfg.Memory.Stats().Used; used != 0 {
		t.Errorf("%d bytes charged after the queue drained", used)
	}
}
