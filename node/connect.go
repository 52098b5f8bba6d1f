package node

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/peerstore"
	ma "github.com/multiformats/go-multiaddr"
	msmux "github.com/multiformats/go-multistream"

	"github.com/swarm-project/swarm/node/wire"
	rcp2p "github.com/swarm-project/swarm/ratectl/p2p"
)

// connect reaches a peer, over its swarmrc addresses first: libp2p's dial
// ranker tries unknown transports last, so left to itself it would pick
// TCP or QUIC, whose congestion control collapses on long lossy paths.
func (n *Node) connect(ctx context.Context, ai peer.AddrInfo) error {
	var rc []ma.Multiaddr
	for _, a := range ai.Addrs {
		if rcp2p.IsAddr(a) {
			rc = append(rc, a)
		}
	}
	if len(rc) > 0 {
		// A long lossy path needs time for the handshakes (swarmrc, then
		// Noise or TLS): give swarmrc all of it when it is the only way in.
		d := connectTimeout
		if len(rc) < len(ai.Addrs) {
			d = connectTimeout / 3
		}
		cctx, cancel := context.WithTimeout(ctx, d)
		err := n.dial(cctx, peer.AddrInfo{ID: ai.ID, Addrs: rc})
		cancel()
		if err == nil || len(rc) == len(ai.Addrs) {
			return err
		}
		n.log.Info("swarmrc dial failed; trying the peer's other addresses", "peer", ai.ID, "err", err)
	}
	cctx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	return n.dial(cctx, ai)
}

// dial is host.Connect without its wait for identify: the chunk protocol
// does not need the peer's protocol list (its streams are opened on the
// connection and negotiated lazily), and on a 500 ms, 10 %-loss path the
// identify exchange cost a second or more before the first request.
// Identify still runs, in the background.
func (n *Node) dial(ctx context.Context, ai peer.AddrInfo) error {
	n.host.Peerstore().AddAddrs(ai.ID, ai.Addrs, peerstore.TempAddrTTL)
	if n.host.Network().Connectedness(ai.ID) == network.Connected {
		return nil
	}
	start := time.Now()
	c, err := n.host.Network().DialPeer(ctx, ai.ID)
	if err != nil {
		return fmt.Errorf("failed to dial: %w", err)
	}
	n.log.Debug("connected", "peer", ai.ID, "addr", c.RemoteMultiaddr(), "took", time.Since(start))
	return nil
}

// openChunkStream opens a /swarm/chunk/1.0.0 stream, on a swarmrc
// connection to the peer when there is one. The protocol is negotiated
// lazily: its proposal travels with the first request instead of costing a
// round trip of its own (a refusal surfaces on the first read).
func openChunkStream(ctx context.Context, h host.Host, p peer.ID) (network.Stream, error) {
	for _, c := range h.Network().ConnsToPeer(p) {
		if !rcp2p.IsAddr(c.RemoteMultiaddr()) {
			continue
		}
		s, err := c.NewStream(ctx)
		if err != nil {
			continue
		}
		if err := s.SetProtocol(wire.ProtocolID); err != nil {
			_ = s.Reset()
			return nil, err
		}
		return &lazyStream{Stream: s, rw: msmux.NewMSSelect(s, wire.ProtocolID)}, nil
	}
	return h.NewStream(ctx, p, wire.ProtocolID)
}

// lazyStream is a stream whose protocol negotiation completes with its first
// read and write, as go-libp2p's own host does for a single protocol.
type lazyStream struct {
	network.Stream
	rw io.ReadWriteCloser
}

func (s *lazyStream) Read(b []byte) (int, error)  { return s.rw.Read(b) }
func (s *lazyStream) Write(b []byte) (int, error) { return s.rw.Write(b) }
func (s *lazyStream) Close() error                { return s.rw.Close() }

// CloseWrite flushes a negotiation not yet sent before half-closing.
func (s *lazyStream) CloseWrite() error {
	if f, ok := s.rw.(interface{ Flush() error }); ok {
		_ = f.Flush()
	}
	return s.Stream.CloseWrite()
}
