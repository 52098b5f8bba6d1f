package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/muxer/yamux"
	tls "github.com/libp2p/go-libp2p/p2p/security/tls"
	quic "github.com/libp2p/go-libp2p/p2p/transport/quic"
	"github.com/libp2p/go-libp2p/p2p/transport/tcp"

	rcp2p "github.com/swarm-project/swarm/ratectl/p2p"
	"github.com/swarm-project/swarm/ratectl/session"
)

const benchProto = "/swarm-bench/sink/1.0.0"

// libp2pOptions are the host options of one stack, listening on loopback.
func libp2pOptions(stack string) ([]libp2p.Option, error) {
	common := []libp2p.Option{libp2p.ResourceManager(&network.NullResourceManager{}), libp2p.DisableRelay(), libp2p.NoListenAddrs}
	switch stack {
	case "libp2p-tcp-tls-yamux":
		return append(common, libp2p.Transport(tcp.NewTCPTransport), libp2p.Security(tls.ID, tls.New),
			libp2p.Muxer(yamux.ID, yamux.DefaultTransport), libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0")), nil
	case "libp2p-quic":
		return append(common, libp2p.Transport(quic.NewTransport), libp2p.ListenAddrStrings("/ip4/127.0.0.1/udp/0/quic-v1")), nil
	case "libp2p-swarmrc-tls-yamux":
		// swarm's transport under the same security and muxer as the TCP
		// stack: the CPU target compares these two.
		return append(common, libp2p.Transport(rcp2p.New(session.Config{}, nil)), libp2p.Security(tls.ID, tls.New),
			libp2p.Muxer(yamux.ID, yamux.DefaultTransport), libp2p.ListenAddrStrings("/ip4/127.0.0.1/udp/0/swarmrc")), nil
	}
	return nil, fmt.Errorf("unknown stack %q", stack)
}

// libp2pTransfer sends size bytes over one stream between two hosts in
// this process and returns the seconds the transfer took; CPU is measured
// by the caller around it.
func libp2pTransfer(ctx context.Context, stack string, size int64) (float64, error) {
	opts, err := libp2pOptions(stack)
	if err != nil {
		return 0, err
	}
	recv, err := libp2p.New(opts...)
	if err != nil {
		return 0, err
	}
	defer recv.Close()
	send, err := libp2p.New(opts...)
	if err != nil {
		return 0, err
	}
	defer send.Close()
	got := make(chan int64, 1)
	recv.SetStreamHandler(benchProto, func(s network.Stream) {
		n, _ := io.Copy(io.Discard, s)
		s.Close()
		got <- n
	})
	start := time.Now()
	if err := pushStream(ctx, send, recv, size); err != nil {
		return 0, err
	}
	select {
	case n := <-got:
		if n != size {
			return 0, fmt.Errorf("%s: received %d of %d bytes", stack, n, size)
		}
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	return time.Since(start).Seconds(), nil
}

func pushStream(ctx context.Context, send, recv host.Host, size int64) error {
	if err := send.Connect(ctx, peer.AddrInfo{ID: recv.ID(), Addrs: recv.Addrs()}); err != nil {
		return err
	}
	s, err := send.NewStream(ctx, recv.ID(), benchProto)
	if err != nil {
		return err
	}
	buf := make([]byte, 1<<20)
	for left := size; left > 0; {
		n, err := s.Write(buf[:min(int64(len(buf)), left)])
		if err != nil {
			s.Reset()
			return err
		}
		left -= int64(n)
	}
	return errors.Join(s.CloseWrite(), readEOF(s))
}

// readEOF waits for the receiver to close its side.
func readEOF(s network.Stream) error {
	_, err := io.Copy(io.Discard, s)
	return err
}
