package session

import (
	"context"
	"net"
	"testing"
	"time"
)

// ioModes are the I/O paths a UDP socket can use, best first.
var ioModes = []struct {
	name string
	cfg  func(*Config)
}{
	{"gso-gro", func(*Config) {}},
	{"mmsg", func(c *Config) { c.DisableOffload = true }},
	{"portable", func(c *Config) { c.DisableBatchIO = true }},
}

// loopbackPair connects two endpoints over real UDP sockets on ip
// (127.0.0.1 if nil). The client owns its endpoint; close the listener
// after the connections.
func loopbackPair(tb testing.TB, cfg Config, ip ...net.IP) (client, server *Conn, ln *Listener) {
	tb.Helper()
	addr := &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}
	if len(ip) > 0 {
		addr.IP = ip[0]
	}
	spc, err := net.ListenUDP("udp", addr)
	if err != nil {
		tb.Skip("no loopback UDP:", err)
	}
	cpc, err := net.ListenUDP("udp", addr)
	if err != nil {
		tb.Fatal(err)
	}
	ln, err = Listen(spc, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	cep, err := NewEndpoint(cpc, cfg, false)
	if err != nil {
		tb.Fatal(err)
	}
	client, server = dialPair(tb, cep, ln)
	client.ownsEndpoint = true
	return client, server, ln
}

// dialPair dials ln from ep and returns both ends.
func dialPair(tb testing.TB, ep *Endpoint, ln *Listener) (client, server *Conn) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	accepted := make(chan *Conn, 1)
	go func() {
		s, err := ln.Accept(ctx)
		if err != nil {
			tb.Error(err)
		}
		accepted <- s
	}()
	client, err := ep.Dial(ctx, ln.Addr())
	if err != nil {
		tb.Fatal(err)
	}
	return client, <-accepted
}
