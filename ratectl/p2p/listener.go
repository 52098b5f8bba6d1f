package p2p

import (
	"context"
	"errors"
	"fmt"
	"net"

	"github.com/libp2p/go-libp2p/core/network"
	ma "github.com/multiformats/go-multiaddr"
	manet "github.com/multiformats/go-multiaddr/net"

	"github.com/swarm-project/swarm/ratectl/session"
)

// gatedListener turns session.Endpoint.Accept into what the Upgrader wants:
// one resource scope per inbound connection, net.ErrClosed after Close.
type gatedListener struct {
	t      *Transport
	ep     *session.Endpoint
	addr   ma.Multiaddr
	ctx    context.Context
	cancel context.CancelFunc
}

func newGatedListener(t *Transport, ep *session.Endpoint, addr ma.Multiaddr) *gatedListener {
	ctx, cancel := context.WithCancel(context.Background())
	return &gatedListener{t: t, ep: ep, addr: addr, ctx: ctx, cancel: cancel}
}

func (l *gatedListener) Accept() (manet.Conn, network.ConnManagementScope, error) {
	for {
		sc, err := l.ep.Accept(l.ctx)
		if err != nil {
			if l.ctx.Err() != nil || errors.Is(err, session.ErrClosed) {
				return nil, nil, fmt.Errorf("%s listener: %w", ProtocolName, net.ErrClosed)
			}
			return nil, nil, err
		}
		mc, err := wrap(sc)
		if err != nil {
			sc.CloseAsync()
			continue
		}
		scope, err := l.t.rcmgr.OpenConnection(network.DirInbound, false, mc.RemoteMultiaddr())
		if err != nil {
			sc.CloseAsync() // refused by the resource manager
			continue
		}
		l.t.reg.add(sc, mc.raddr)
		return mc, scope, nil
	}
}

func (l *gatedListener) Close() error {
	l.cancel()
	l.t.forget(l.ep)
	return l.ep.Close()
}

func (l *gatedListener) Multiaddr() ma.Multiaddr { return l.addr }
func (l *gatedListener) Addr() net.Addr          { return l.ep.LocalAddr() }
