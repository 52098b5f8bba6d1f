package p2p

import (
	ma "github.com/multiformats/go-multiaddr"

	"github.com/swarm-project/swarm/ratectl/session"
)

// maConn is a session connection with multiaddrs, as the Upgrader wants.
// A dialer's also answers its own security proposal (see lazySelect).
type maConn struct {
	*session.Conn
	laddr, raddr ma.Multiaddr
	lazy         *lazySelect // dialer only
}

func (c *maConn) Read(p []byte) (int, error) {
	if c.lazy == nil {
		return c.Conn.Read(p)
	}
	return c.lazy.read(c.Conn, p)
}

func (c *maConn) Write(p []byte) (int, error) {
	if c.lazy != nil {
		c.lazy.onWrite(p)
	}
	return c.Conn.Write(p)
}

// Close returns at once, as a TCP socket's does; see session.CloseAsync.
// libp2p closes a connection's muxer and security layers down to this
// when a host shuts down or trims connections, and none of them needs the
// peer's acknowledgement before going on.
func (c *maConn) Close() error {
	if c.lazy != nil {
		c.lazy.stop()
	}
	c.CloseAsync()
	return nil
}

func (c *maConn) LocalMultiaddr() ma.Multiaddr  { return c.laddr }
func (c *maConn) RemoteMultiaddr() ma.Multiaddr { return c.raddr }

func wrap(c *session.Conn) (*maConn, error) {
	l, err := toMultiaddr(c.LocalAddr())
	if err != nil {
		return nil, err
	}
	r, err := toMultiaddr(c.RemoteAddr())
	if err != nil {
		return nil, err
	}
	return &maConn{Conn: c, laddr: l, raddr: r}, nil
}
