package p2p

import (
	ma "github.com/multiformats/go-multiaddr"

	"github.com/swarm-project/swarm/ratectl/session"
)

// maConn is a session connection with multiaddrs, as the Upgrader wants.
type maConn struct {
	*session.Conn
	laddr, raddr ma.Multiaddr
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
