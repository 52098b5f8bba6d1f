package session

import (
	"context"
	"net"
	"runtime"
	"testing"
	"time"

	"github.com/swarm-project/swarm/ratectl/simnet"
	"github.com/swarm-project/swarm/ratectl/wire"
)

// TestLoopbackUDP moves data over real UDP sockets on 127.0.0.1 and checks
// that every goroutine is gone afterwards.
func TestLoopbackUDP(t *testing.T) {
	base := runtime.NumGoroutine()
	spc, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Skip("no loopback UDP:", err)
	}
	cpc, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	cfg := quietConfig()
	ln, err := Listen(spc, cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	accepted := make(chan *Conn, 1)
	go func() {
		s, err := ln.Accept(ctx)
		if err != nil {
			t.Error(err)
		}
		accepted <- s
	}()
	c, err := Dial(ctx, cpc, ln.Addr(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := <-accepted
	data := payload(8 << 20)
	d := transfer(t, c, s, data)
	st := c.Stats()
	t.Logf("8 MiB over loopback UDP in %v (%.0f Mbit/s), rtt %v, retransmitted %d bytes",
		d, float64(len(data))*8/d.Seconds()/1e6, st.RTT, st.BytesRetrans)
	if err := c.Close(); err != nil {
		t.Errorf("client close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("server close: %v", err)
	}
	ln.Close()
	checkGoroutines(t, base)
}

// checkGoroutines fails if more goroutines run than base once the
// runtime has had a moment to retire exited ones.
func checkGoroutines(t *testing.T, base int) {
	t.Helper()
	for range 100 {
		if runtime.NumGoroutine() <= base {
			return
		}
		runtime.Gosched()
		time.Sleep(time.Millisecond)
	}
	buf := make([]byte, 1<<16)
	t.Fatalf("%d goroutines, %d at start:\n%s", runtime.NumGoroutine(), base, buf[:runtime.Stack(buf, true)])
}

// On loopback (64 KiB MTU) a connection sends datagrams as large as the
// protocol allows unless the configuration sets MaxDatagram; elsewhere
// the 1500-byte default stays.
func TestLoopbackUsesLargeDatagrams(t *testing.T) {
	for _, c := range []struct {
		name string
		max  int
		want int
	}{{"default", 0, wire.MaxPacketSize}, {"set", DefaultMaxDatagram, DefaultMaxDatagram}} {
		cfg := quietConfig()
		cfg.MaxDatagram = c.max
		client, server, ln := loopbackPair(t, cfg)
		data := payload(4 << 20)
		transfer(t, client, server, data)
		st := client.Stats()
		perPacket := float64(st.BytesSent) / float64(st.PacketsSent)
		t.Logf("%s: %d packets for %d bytes (%.0f per packet)", c.name, st.PacketsSent, st.BytesSent, perPacket)
		if got := client.cfg.MaxDatagram; got != c.want {
			t.Errorf("%s: MaxDatagram %d, want %d", c.name, got, c.want)
		}
		if perPacket > float64(c.want) || perPacket < float64(c.want)/2 {
			t.Errorf("%s: %.0f stream bytes per packet with MaxDatagram %d", c.name, perPacket, c.want)
		}
		client.Close()
		server.Close()
		ln.Close()
	}
	def, _ := quietConfig().withDefaults()
	if got := def.forPeer(simnet.Addr("elsewhere")).MaxDatagram; got != DefaultMaxDatagram {
		t.Errorf("to an address without a route: MaxDatagram %d, want %d", got, DefaultMaxDatagram)
	}
	lan := &net.UDPAddr{IP: net.IPv4(10, 0, 0, 1), Port: 1}
	want := DefaultMaxDatagram
	if mtu := routeMTU(lan); mtu > 0 {
		want = min(max(mtu-28, DefaultMaxDatagram), wire.MaxPacketSize)
	}
	got := def.forPeer(lan)
	if got.MaxDatagram != want {
		t.Errorf("to %v: MaxDatagram %d, want %d (the route's MTU %d less 28)", lan, got.MaxDatagram, want, routeMTU(lan))
	}
}

func TestSmallSocketBuffer(t *testing.T) {
	for _, c := range []struct {
		asked, got int
		small      bool
	}{
		{8 << 20, 16 << 20, false}, // forced, reported doubled
		{8 << 20, 8 << 20, false},  // rmem_max 4 MiB, doubled
		{8 << 20, 425984, true},    // rmem_max 208 KiB, a distribution's default
		{8 << 20, 0, false},        // unknown (not a UDP socket)
	} {
		if got := smallSocketBuffer(c.asked, c.got); got != c.small {
			t.Errorf("asked %d got %d: small %v, want %v", c.asked, c.got, got, c.small)
		}
	}
}
