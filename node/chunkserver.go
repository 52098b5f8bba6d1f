package node

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log/slog"
	"time"

	"github.com/libp2p/go-libp2p/core/network"

	"github.com/swarm-project/swarm/catalog"
	"github.com/swarm-project/swarm/node/wire"
)

// idleStreamTimeout closes a chunk stream on which the peer sends nothing.
const idleStreamTimeout = 2 * time.Minute

// chunkServer answers /swarm/chunk/1.0.0 requests from the store.
type chunkServer struct {
	ctx   context.Context // cancelled when the node closes
	store catalog.Store
	log   *slog.Logger
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
		if err != nil || req.Type != wire.TypeGet {
			cs.log.Info("dropping chunk stream: bad request", "peer", peer, "err", err)
			_ = s.Reset()
			return
		}
		reply := cs.answer(req)
		out, err = wire.AppendFrame(out[:0], &reply)
		if err == nil {
			_ = s.SetWriteDeadline(time.Now().Add(idleStreamTimeout))
			_, err = s.Write(out)
		}
		if err != nil {
			_ = s.Reset()
			return
		}
	}
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
