//go:build linux

package session

import (
	"context"
	"net"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestBatchedIOLoopback moves data both ways over real loopback UDP with
// each I/O path (GSO/GRO, sendmmsg/recvmmsg without offload, one call per
// datagram) and checks every byte, that the path asked for is the one
// used, and that no goroutine is left.
func TestBatchedIOLoopback(t *testing.T) {
	for _, mode := range ioModes {
		t.Run(mode.name, func(t *testing.T) {
			base := runtime.NumGoroutine()
			cfg := quietConfig()
			mode.cfg(&cfg)
			c, s, ln := loopbackPair(t, cfg)
			done := make(chan struct{})
			go func() { transfer(t, s, c, payload(3<<20+17)); close(done) }()
			transfer(t, c, s, payload(12<<20+1))
			<-done
			checkIOPath(t, mode.name, c.ep, s.ep)
			if err := c.Close(); err != nil {
				t.Errorf("client close: %v", err)
			}
			if err := s.Close(); err != nil {
				t.Errorf("server close: %v", err)
			}
			ln.Close()
			checkGoroutines(t, base)
		})
	}
}

// checkIOPath fails unless the endpoints used the path of mode (with
// offload: one sent GSO messages, the other got GRO runs).
func checkIOPath(t *testing.T, mode string, eps ...*Endpoint) {
	t.Helper()
	var gsoSends, groReads int64
	for _, e := range eps {
		l, batched := e.io.(*linuxIO)
		switch {
		case mode == "portable":
			if batched {
				t.Errorf("%s: batched I/O (%s) although disabled", mode, l.mode())
			}
			continue
		case !batched:
			t.Fatalf("%s: portable I/O on a UDP socket", mode)
		case l.mmsgSends.Load() == 0:
			t.Errorf("%s: no sendmmsg call", mode)
		}
		offload := l.gso.Load() || l.gro || l.gsoSends.Load() > 0 || l.groReads.Load() > 0
		if mode == "mmsg" && offload {
			t.Errorf("%s: offload used although disabled: %s, %d GSO sends, %d GRO reads",
				mode, l.mode(), l.gsoSends.Load(), l.groReads.Load())
		}
		if mode == "gso-gro" && l.mode() != "mmsg+gso+gro" {
			t.Skipf("kernel without UDP GSO/GRO: %s", l.mode())
		}
		gsoSends += l.gsoSends.Load()
		groReads += l.groReads.Load()
	}
	if mode == "gso-gro" && (gsoSends == 0 || groReads == 0) {
		t.Errorf("%s: %d GSO sends, %d GRO reads", mode, gsoSends, groReads)
	}
}

// TestBatchedIOIPv6 runs the default path over ::1, where IPv6 socket
// addresses are built and parsed.
func TestBatchedIOIPv6(t *testing.T) {
	if _, err := net.ListenUDP("udp6", &net.UDPAddr{IP: net.IPv6loopback}); err != nil {
		t.Skip("no IPv6 loopback:", err)
	}
	c, s, ln := loopbackPair(t, quietConfig(), net.IPv6loopback)
	defer ln.Close()
	transfer(t, c, s, payload(2<<20))
	checkIOPath(t, "gso-gro", c.ep, s.ep)
	c.Close()
	s.Close()
}

// TestGSORefusedFallsBack makes the kernel refuse every GSO message, as a
// device without checksum offload does (EIO): the endpoint must turn GSO
// off and deliver everything anyway.
func TestGSORefusedFallsBack(t *testing.T) {
	spc, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Skip("no loopback UDP:", err)
	}
	cpc, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := Listen(spc, quietConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	ep, err := NewEndpoint(cpc, quietConfig(), false)
	if err != nil {
		t.Fatal(err)
	}
	defer ep.Close()
	l := ep.io.(*linuxIO)
	if !l.gso.Load() {
		t.Skip("kernel without UDP GSO")
	}
	var refused atomic.Int64
	l.sendmmsg = func(fd uintptr, hs []mmsghdr) (int, unix.Errno) { // before any connection sends
		if hs[0].hdr.Controllen > 0 {
			refused.Add(1)
			return 0, unix.EIO
		}
		return sendmmsg(fd, hs)
	}
	c, s := dialPair(t, ep, ln)
	transfer(t, c, s, payload(4<<20))
	if refused.Load() == 0 || l.gso.Load() || strings.Contains(l.mode(), "gso") {
		t.Errorf("GSO refused %d times, still on: %v (%s)", refused.Load(), l.gso.Load(), l.mode())
	}
	c.Close()
	s.Close()
}

// TestGSOGrouping checks how datagrams are grouped into GSO messages:
// equal sizes, the last of a run possibly shorter, at most maxGSOSegs and
// maxGSOBytes per message.
func TestGSOGrouping(t *testing.T) {
	var pkts []datagram
	add := func(n, size int) {
		for range n {
			pkts = append(pkts, datagram{head: make([]byte, 28), body: [2][]byte{make([]byte, size-28-5), make([]byte, 5)}})
		}
	}
	add(50, 1452) // 44 fit in 65000 bytes, then 6 more
	add(1, 1000)  // ends that run
	add(3, 1452)
	add(1, 60)
	add(70, 300) // 64 segments at most
	w := newMmsgWriter(&linuxIO{})
	got := w.build(pkts, true)
	want := []int{44, 7, 4, 64, 6} // datagrams per message
	if got != len(pkts) || w.count != len(want) {
		t.Fatalf("built %d of %d datagrams into %d messages, want %d", got, len(pkts), w.count, len(want))
	}
	for m, n := range want {
		next := len(pkts)
		if m+1 < w.count {
			next = w.first[m+1]
		}
		h := &w.hdrs[m].hdr
		if next-w.first[m] != n || int(h.Iovlen) != 3*n || (n > 1) != (h.Controllen > 0) {
			t.Errorf("message %d: %d datagrams in %d iovecs (control %d), want %d", m, next-w.first[m], h.Iovlen, h.Controllen, n)
		}
	}
	if got := w.build(pkts, false); got != len(pkts) || w.count != len(pkts) {
		t.Errorf("without GSO: %d datagrams in %d messages, want one each", got, w.count)
	}
}

// TestSockaddrRoundTrip encodes destinations as the kernel wants them and
// decodes them as received.
func TestSockaddrRoundTrip(t *testing.T) {
	cases := []struct {
		af   int
		addr *net.UDPAddr
		ok   bool
	}{
		{unix.AF_INET, &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 4802}, true},
		{unix.AF_INET, &net.UDPAddr{IP: net.IPv6loopback, Port: 1}, false},
		{unix.AF_INET6, &net.UDPAddr{IP: net.IPv6loopback, Port: 65535}, true},
		{unix.AF_INET6, &net.UDPAddr{IP: net.IPv4(10, 0, 0, 1), Port: 80}, true}, // IPv4-mapped
		{unix.AF_INET6, &net.UDPAddr{IP: net.ParseIP("fe80::1"), Port: 9, Zone: "1"}, true},
	}
	for _, tc := range cases {
		var sa sockaddr
		if ok := encodeSockaddr(&sa, tc.af, tc.addr); ok != tc.ok {
			t.Errorf("%v on family %d: encodable %v", tc.addr, tc.af, ok)
			continue
		}
		if !tc.ok {
			continue
		}
		k, ok := decodeSockaddr(&sa.raw)
		if got := k.udpAddr(); !ok || !got.IP.Equal(tc.addr.IP) || got.Port != tc.addr.Port || (tc.addr.Zone != "") != (got.Zone != "") {
			t.Errorf("%v on family %d came back as %v", tc.addr, tc.af, got)
		}
	}
	if _, ok := decodeSockaddr(&unix.RawSockaddrAny{}); ok {
		t.Error("decoded an address of family 0")
	}
}

// A caller that takes the socket's file descriptor (os.File.Fd) turns it
// blocking. The batched calls are raw system calls, which the runtime
// cannot preempt: they must still never block, or a read waiting for a
// datagram stalls garbage collection and with it the whole process.
func TestBlockingSocketDoesNotStallTheProcess(t *testing.T) {
	spc, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Skip("no loopback UDP:", err)
	}
	f, err := spc.File()
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_ = f.Fd() // makes the shared file description blocking
	ln, err := Listen(spc, quietConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	time.Sleep(20 * time.Millisecond) // the read loop is in recvmmsg by now
	gc := make(chan struct{})
	go func() { runtime.GC(); close(gc) }()
	select {
	case <-gc:
	case <-time.After(5 * time.Second):
		t.Fatal("garbage collection stalled behind a blocked read")
	}
	cpc, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	cep, err := NewEndpoint(cpc, quietConfig(), false)
	if err != nil {
		t.Fatal(err)
	}
	defer cep.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	go func() {
		if s, err := ln.Accept(ctx); err == nil {
			s.Close()
		}
	}()
	c, err := cep.Dial(ctx, ln.Addr())
	if err != nil {
		t.Fatalf("dial to a listener on a blocking socket: %v", err)
	}
	c.Close()
}
