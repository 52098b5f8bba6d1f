package node

import (
	"fmt"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	rcmgr "github.com/libp2p/go-libp2p/p2p/host/resource-manager"
	"github.com/libp2p/go-libp2p/p2p/muxer/yamux"
	"github.com/libp2p/go-libp2p/p2p/net/swarm"
	libp2pquic "github.com/libp2p/go-libp2p/p2p/transport/quic"
	"github.com/libp2p/go-libp2p/p2p/transport/tcp"

	rcp2p "github.com/swarm-project/swarm/ratectl/p2p"
	"github.com/swarm-project/swarm/ratectl/session"
)

// newHost builds the libp2p host: Swarm's rate-controlled UDP transport
// (swarmrc), TCP and QUIC, Noise/TLS with yamux (16 MiB stream windows
// from the first byte, see yamuxTransport), no relay, no NAT port mapping.
// listen may be empty (an embedded node that only dials out).
func newHost(sk crypto.PrivKey, listen []string, rc session.Config, reg *rcp2p.Registry) (host.Host, error) {
	rm, err := rcmgr.NewResourceManager(rcmgr.NewFixedLimiter(resourceLimits()))
	if err != nil {
		return nil, err
	}
	opts := []libp2p.Option{
		libp2p.Identity(sk),
		libp2p.Transport(rcp2p.New(rc, reg)),
		libp2p.Transport(tcp.NewTCPTransport),
		libp2p.Transport(libp2pquic.NewTransport),
		libp2p.DefaultSecurity,
		libp2p.Muxer(yamux.ID, yamuxTransport()),
		libp2p.ResourceManager(rm),
		libp2p.DisableRelay(),
		libp2p.DisableMetrics(),
		libp2p.UserAgent("swarm/0.1"),
		// Handshakes over a 500 ms, 10%-loss path can take tens of seconds.
		libp2p.WithDialTimeout(connectTimeout),
		// go-libp2p gives private addresses 5 s, assuming a LAN; a lab, a
		// VPN or a campus backbone can be private and long all the same.
		libp2p.SwarmOpts(swarm.WithDialTimeoutLocal(connectTimeout)),
	}
	if len(listen) == 0 {
		opts = append(opts, libp2p.NoListenAddrs)
	} else {
		opts = append(opts, libp2p.ListenAddrStrings(listen...))
	}
	h, err := libp2p.New(opts...)
	if err != nil {
		return nil, fmt.Errorf("starting libp2p host: %w", err)
	}
	return h, nil
}

// yamuxTransport is go-libp2p's yamux with the initial stream window
// raised to its maximum (16 MiB). The default starts every new stream at
// 256 KiB and grows it only as round trips go by: a 1 MiB chunk reply on a
// fresh stream then waits for three window updates, which on a 100 ms path
// caps a stream near 2.5 MB/s. The opener of a stream grants the window in
// its first frame, so this side's setting governs replies to its requests.
//
// Its write timeout, which also bounds a keepalive ping's round trip, goes
// from 10 s to idleStreamTimeout: a swarmrc connection paced far down (a
// `low` transfer yielding to TCP) can hold a write or queue a ping behind a
// megabyte of data for longer than 10 s, and yamux then killed the
// connection ("closed by peer", the download failing at 26 s in
// `make bench-share`).
func yamuxTransport() *yamux.Transport {
	cfg := *yamux.DefaultTransport
	cfg.InitialStreamWindowSize = cfg.MaxStreamWindowSize
	cfg.ConnectionWriteTimeout = idleStreamTimeout
	return &cfg
}

// resourceLimits are go-libp2p's defaults scaled to this machine, with room
// per peer for a download's pipelined chunk streams (up to 512 per source
// for trees of small files) and the memory of their windows.
func resourceLimits() rcmgr.ConcreteLimitConfig {
	peer := rcmgr.ResourceLimits{
		Streams: 2048, StreamsInbound: 1024, StreamsOutbound: 1024,
		Memory: rcmgr.LimitVal64(512 << 20),
	}
	proto := rcmgr.ResourceLimits{Streams: 2048, StreamsInbound: 1024, StreamsOutbound: 1024}
	partial := rcmgr.PartialLimitConfig{
		PeerDefault:         peer,
		ProtocolPeerDefault: proto,
		ProtocolDefault:     rcmgr.ResourceLimits{Streams: 8192, StreamsInbound: 4096, StreamsOutbound: 4096},
		Transient:           rcmgr.ResourceLimits{Streams: 2048, StreamsInbound: 1024, StreamsOutbound: 1024},
	}
	return partial.Build(rcmgr.DefaultLimits.AutoScale())
}
