package p2p

import (
	"fmt"
	"net"

	ma "github.com/multiformats/go-multiaddr"
	manet "github.com/multiformats/go-multiaddr/net"
)

// ProtocolCode is the multiaddr code of swarmrc, in the private-use range
// 0x300000-0x3FFFFF of the multicodec table.
const ProtocolCode = 0x300100

// ProtocolName is how the protocol appears in multiaddrs.
const ProtocolName = "swarmrc"

// Protocol is the multiaddr protocol (no argument: it follows /udp/PORT).
var Protocol = ma.Protocol{Name: ProtocolName, Code: ProtocolCode, VCode: ma.CodeToVarint(ProtocolCode)}

// component is /swarmrc. Computing it registers the protocol, during
// package initialisation: importing this package is enough for any address
// to parse.
var component = register()

func register() ma.Multiaddr {
	if err := ma.AddProtocol(Protocol); err != nil {
		panic(fmt.Sprintf("registering multiaddr protocol %s: %v", ProtocolName, err))
	}
	return ma.StringCast("/" + ProtocolName)
}

// IsAddr reports whether a is an /ip4|ip6/.../udp/PORT/swarmrc address
// (optionally followed by /p2p/ID).
func IsAddr(a ma.Multiaddr) bool {
	base, _ := splitP2P(a)
	_, last := ma.SplitLast(base)
	if last == nil || last.Protocol().Code != ProtocolCode {
		return false
	}
	_, err := udpAddr(base)
	return err == nil
}

func splitP2P(a ma.Multiaddr) (ma.Multiaddr, ma.Multiaddr) {
	base, last := ma.SplitLast(a)
	if last != nil && last.Protocol().Code == ma.P_P2P {
		return base, last.Multiaddr()
	}
	return a, nil
}

// udpAddr converts /ip*/X/udp/N/swarmrc to a UDP address.
func udpAddr(a ma.Multiaddr) (*net.UDPAddr, error) {
	base, last := ma.SplitLast(a)
	if last == nil || last.Protocol().Code != ProtocolCode {
		return nil, fmt.Errorf("%s is not a %s address", a, ProtocolName)
	}
	na, err := manet.ToNetAddr(base)
	if err != nil {
		return nil, err
	}
	u, ok := na.(*net.UDPAddr)
	if !ok {
		return nil, fmt.Errorf("%s is not a UDP address", a)
	}
	return u, nil
}

// toMultiaddr converts a UDP address to /ip*/X/udp/N/swarmrc.
func toMultiaddr(a net.Addr) (ma.Multiaddr, error) {
	m, err := manet.FromNetAddr(a)
	if err != nil {
		return nil, err
	}
	return m.Encapsulate(component), nil
}
