package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/transport/tcp"

	"github.com/swarm-project/swarm/chunker"
	"github.com/swarm-project/swarm/node/wire"
	"github.com/swarm-project/swarm/ratectl"
	rcp2p "github.com/swarm-project/swarm/ratectl/p2p"
	"github.com/swarm-project/swarm/ratectl/session"
)

// liarReady prefixes the line the liar prints on stdout once it listens:
// "LIAR <multiaddr>/p2p/<id>".
const liarReady = "LIAR "

// liar is a seeder that lies: a libp2p host speaking /swarm/chunk/1.0.0
// that forwards each request to a real swarm daemon (upstream) and flips
// one byte of every chunk (raw-codec block) on the way back. Manifest
// blocks pass unchanged, so a downloader can start from it and must catch
// the lie by verifying chunks.
type liar struct {
	h        host.Host
	upstream peer.ID
	reg      *rcp2p.Registry
	log      *slog.Logger
}

// runLiar is the `multibench liar` subcommand. It runs until ctx ends.
func runLiar(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("multibench liar", flag.ContinueOnError)
	upstream := fs.String("upstream", "", "full multiaddr (with /p2p/ID) of the real daemon to read blocks from")
	listen := fs.String("listen", "/ip4/127.0.0.1/udp/0/swarmrc", "multiaddr to listen on (swarmrc or tcp)")
	maxRate := fs.Float64("max-rate-mbit", 0, "upload ceiling in Mbit/s of the swarmrc sessions (0: none)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	l, err := newLiar(*listen, *maxRate*1e6/8)
	if err != nil {
		return err
	}
	defer l.h.Close()
	if err := l.connect(ctx, *upstream); err != nil {
		return err
	}
	fmt.Printf("%s%s/p2p/%s\n", liarReady, l.h.Addrs()[0], l.h.ID())
	<-ctx.Done()
	return nil
}

// connect dials the upstream daemon and starts serving the chunk
// protocol.
func (l *liar) connect(ctx context.Context, upstream string) error {
	up, err := peer.AddrInfoFromString(upstream)
	if err != nil {
		return fmt.Errorf("upstream: %w", err)
	}
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := l.h.Connect(cctx, *up); err != nil {
		return fmt.Errorf("connecting to upstream %s: %w", upstream, err)
	}
	l.upstream = up.ID
	l.h.SetStreamHandler(wire.ProtocolID, l.handle)
	return nil
}

func newLiar(listen string, maxRate float64) (*liar, error) {
	reg := &rcp2p.Registry{}
	rc := session.Config{Rate: ratectl.Config{Policy: ratectl.Fair, TargetRate: maxRate}}
	h, err := libp2p.New(
		libp2p.Transport(rcp2p.New(rc, reg)),
		libp2p.Transport(tcp.NewTCPTransport),
		libp2p.ListenAddrStrings(listen),
		libp2p.DisableRelay(),
		libp2p.DisableMetrics(),
	)
	if err != nil {
		return nil, fmt.Errorf("liar host: %w", err)
	}
	return &liar{h: h, reg: reg, log: slog.New(slog.NewTextHandler(os.Stderr, nil))}, nil
}

// handle proxies one downstream stream: one request at a time, as the
// protocol's requesters send them.
func (l *liar) handle(s network.Stream) {
	defer s.Close()
	up, err := l.h.NewStream(context.Background(), l.upstream, wire.ProtocolID)
	if err != nil {
		l.log.Warn("upstream stream", "err", err)
		_ = s.Reset()
		return
	}
	defer up.Close()
	down, upr := bufio.NewReader(s), bufio.NewReader(up)
	var buf []byte
	for {
		body, err := wire.ReadFrame(down, buf)
		if err != nil {
			if !errors.Is(err, io.EOF) {
				_ = s.Reset()
			}
			return
		}
		buf = body[:0]
		req, err := wire.Decode(body)
		if err != nil {
			_ = s.Reset()
			return
		}
		reply, err := l.answer(s, up, upr, req)
		if err == nil {
			err = writeMessage(s, &reply)
		}
		if err != nil {
			_ = s.Reset()
			_ = up.Reset()
			return
		}
	}
}

// answer grants rate requests itself (the downloader talks to this host's
// sessions) and forwards the rest, corrupting chunks.
func (l *liar) answer(s network.Stream, up io.Writer, upr *bufio.Reader, req wire.Message) (wire.Message, error) {
	if req.Type == wire.TypeRate {
		cfg := ratectl.Config{Policy: ratectl.Policy(req.Policy), TargetRate: float64(req.Target), MinRate: float64(req.MinRate)}
		_ = l.reg.SetRate(s.Conn().RemoteMultiaddr(), cfg) // a TCP connection has no rate to set
		return wire.Message{Type: wire.TypeRateOK, ID: req.ID, Policy: req.Policy, Target: req.Target, MinRate: req.MinRate}, nil
	}
	if err := writeMessage(up, &req); err != nil {
		return wire.Message{}, err
	}
	body, err := wire.ReadFrame(upr, nil)
	if err != nil {
		return wire.Message{}, err
	}
	rep, err := wire.Decode(body)
	if err != nil {
		return wire.Message{}, err
	}
	corrupt(req, &rep)
	return rep, nil
}

// corrupt flips one byte of a chunk reply; manifest blocks and other
// replies are left alone.
func corrupt(req wire.Message, rep *wire.Message) {
	if req.Type != wire.TypeGet || rep.Type != wire.TypeBlock || len(rep.Data) == 0 ||
		req.CID.Prefix().Codec != chunker.RawCodec {
		return
	}
	rep.Data[len(rep.Data)/2] ^= 0x01
}

func writeMessage(w io.Writer, m *wire.Message) error {
	out, err := wire.AppendFrame(nil, m)
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}
