package node

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/swarm-project/swarm/catalog"
	"github.com/swarm-project/swarm/node/wire"
	"github.com/swarm-project/swarm/ratectl"
	rcp2p "github.com/swarm-project/swarm/ratectl/p2p"
)

// idleStreamTimeout closes a chunk stream on which the peer sends nothing.
const idleStreamTimeout = 2 * time.Minute

// chunkServer answers /swarm/chunk/1.0.0 requests from the store.
type chunkServer struct {
	ctx     context.Context // cancelled when the node closes
	store   catalog.Store
	log     *slog.Logger
	rc      *rcp2p.Registry
	ceiling ratectl.Config // the daemon's own upload settings
	haves   func(context.Context, wire.Message) wire.Message
	turns   sendTurns // block replies go out one at a time per connection
	plans   pushPlans // PUSH plans decoded, pushes running
	// endpoints answers ENDPOINTS with the URLs recorded for a root.
	endpoints func(context.Context, wire.Message) wire.Message
}

// handle serves one stream: requests are answered in order until the peer
// closes it, sends garbage, or goes idle.
func (cs *chunkServer) handle(s network.Stream) {
	defer s.Close()
	peer := s.Conn().RemotePeer()
	r := bufio.NewReaderSize(s, 64<<10)
	var buf, out []byte
	for {
		_ = s.SetReadDeadline(time.Now().Add(idleStreamTimeout))
		body, err := wire.ReadFrame(r, buf)
		if err != nil {
			if !errors.Is(err, io.EOF) {
				cs.log.Debug("chunk stream ended", "peer", peer, "err", err)
				_ = s.Reset()
			}
			return
		}
		buf = body[:0]
		req, err := wire.Decode(body)
		if err == nil && req.Type == wire.TypePush {
			// A push is the stream's only request; its end ends the stream.
			if err := cs.push(s, req); err != nil {
				_ = s.Reset()
			}
			return
		}
		var reply wire.Message
		if err == nil {
			reply, err = cs.reply(s, req)
		}
		if err != nil {
			cs.log.Info("dropping chunk stream: bad request", "peer", peer, "err", err)
			_ = s.Reset()
			return
		}
		out, err = cs.write(s, out, &reply)
		if err != nil {
			_ = s.Reset()
			return
		}
	}
}

// reply answers one request; a reply type sent as a request is an error.
func (cs *chunkServer) reply(s network.Stream, req wire.Message) (wire.Message, error) {
	switch req.Type {
	case wire.TypeGet:
		return cs.answer(req), nil
	case wire.TypeRate:
		return cs.setRate(s.Conn().RemoteMultiaddr(), req), nil
	case wire.TypeHave:
		return cs.haves(cs.ctx, req), nil
	case wire.TypeEndpoints:
		return cs.endpoints(cs.ctx, req), nil
	}
	return wire.Message{}, fmt.Errorf("%w: type %d is not a request", wire.ErrMalformed, req.Type)
}

func (cs *chunkServer) answer(req wire.Message) wire.Message {
	data, err := cs.store.ReadChunk(cs.ctx, req.CID)
	if errors.Is(err, catalog.ErrNotFound) || errors.Is(err, catalog.ErrStale) {
		data, err = cs.store.GetBlock(cs.ctx, req.CID)
	}
	switch {
	case err == nil:
		return wire.Message{Type: wire.TypeBlock, ID: req.ID, Data: data}
	case errors.Is(err, catalog.ErrNotFound), errors.Is(err, catalog.ErrStale):
		return wire.Message{Type: wire.TypeNotFound, ID: req.ID}
	default:
		cs.log.Warn("serving chunk failed", "cid", req.CID, "err", err)
		return wire.Message{Type: wire.TypeError, ID: req.ID, Code: wire.CodeInternal, Text: "internal error"}
	}
}

// setRate applies a downloader's requested policy and rates to the swarmrc
// session that carries its chunks, capped by this daemon's own ceiling.
func (cs *chunkServer) setRate(remote ma.Multiaddr, req wire.Message) wire.Message {
	cfg := grantRate(req, cs.ceiling)
	if err := cs.rc.SetRate(remote, cfg); err != nil {
		return wire.Message{Type: wire.TypeError, ID: req.ID, Code: wire.CodeBadRequest, Text: err.Error()}
	}
	level := slog.LevelInfo
	if req.Policy == wire.PolicyDefault {
		level = slog.LevelDebug // every download that asks for nothing sends one
	}
	cs.log.Log(cs.ctx, level, "peer set its download rate", "remote", remote, "policy", cfg.Policy, "target", cfg.TargetRate, "min", cfg.MinRate)
	return wire.Message{Type: wire.TypeRateOK, ID: req.ID, Policy: uint8(cfg.Policy),
		Target: uint64(cfg.TargetRate), MinRate: uint64(cfg.MinRate)}
}

// grantRate is what a request gets: its policy and rates, the target
// capped by the ceiling, the floor capped by the target.
//
// PolicyDefault gets the daemon's own settings back.
func grantRate(req wire.Message, ceiling ratectl.Config) ratectl.Config {
	if req.Policy == wire.PolicyDefault {
		cfg := ceiling
		if cfg.Policy == 0 {
			cfg.Policy = ratectl.Fair
		}
		return cfg
	}
	cfg := ratectl.Config{Policy: ratectl.Policy(req.Policy), TargetRate: float64(req.Target), MinRate: float64(req.MinRate)}
	if c := ceiling.TargetRate; c > 0 && (cfg.TargetRate == 0 || cfg.TargetRate > c) {
		cfg.TargetRate = c
	}
	if cfg.TargetRate > 0 && cfg.MinRate > cfg.TargetRate {
		cfg.MinRate = cfg.TargetRate
	}
	return cfg
}

// write sends one reply; a block's bytes go out from where they are, after
// a small header, instead of being copied into the frame.
func (cs *chunkServer) write(s network.Stream, out []byte, m *wire.Message) ([]byte, error) {
	if m.Type == wire.TypeBlock {
		release, err := cs.turns.acquire(cs.ctx, s.Conn())
		if err != nil {
			return out, err
		}
		defer release()
		_ = s.SetWriteDeadline(time.Now().Add(idleStreamTimeout))
		out = wire.AppendBlockHeader(out[:0], m.ID, len(m.Data))
		bufs := net.Buffers{out, m.Data}
		_, err = bufs.WriteTo(s)
		return out, err
	}
	_ = s.SetWriteDeadline(time.Now().Add(idleStreamTimeout))
	out, err := wire.AppendFrame(out[:0], m)
	if err != nil {
		return out, err
	}
	_, err = s.Write(out)
	return out, err
}
