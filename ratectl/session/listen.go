package session

import (
	"context"
	"net"
)

// Listener accepts connections on an Endpoint it owns.
type Listener struct{ ep *Endpoint }

// Listen starts accepting connections on pc, which the Listener owns.
func Listen(pc net.PacketConn, cfg Config) (*Listener, error) {
	ep, err := NewEndpoint(pc, cfg, true)
	if err != nil {
		return nil, err
	}
	return &Listener{ep: ep}, nil
}

// Accept waits for the next connection.
func (l *Listener) Accept(ctx context.Context) (*Conn, error) { return l.ep.Accept(ctx) }

// Close closes the listener, its connections and its PacketConn.
func (l *Listener) Close() error { return l.ep.Close() }

// Addr returns the local address.
func (l *Listener) Addr() net.Addr { return l.ep.LocalAddr() }

// Endpoint returns the endpoint, which can also Dial from the same socket.
func (l *Listener) Endpoint() *Endpoint { return l.ep }

// Dial opens a connection to raddr over pc, which the returned Conn owns:
// closing the Conn closes pc.
func Dial(ctx context.Context, pc net.PacketConn, raddr net.Addr, cfg Config) (*Conn, error) {
	ep, err := NewEndpoint(pc, cfg, false)
	if err != nil {
		return nil, err
	}
	c, err := ep.Dial(ctx, raddr)
	if err != nil {
		_ = ep.Close()
		return nil, err
	}
	c.ownsEndpoint = true
	return c, nil
}
