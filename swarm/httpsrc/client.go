package httpsrc

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// DefaultClient is used when New is given none: for URLs the user chose.
var DefaultClient = &http.Client{Transport: transport(nil)}

// PeerClient returns the client for URLs the user did not choose
// (endpoints advertised by a peer). It refuses to connect to link-local
// addresses (cloud metadata services live at 169.254.169.254), multicast
// and unspecified ones, and, unless allowLoopback (the peer itself is on
// this host), loopback: checked on the address actually dialled, so a DNS
// name or a redirect pointing there is refused too. Private (RFC 1918)
// addresses are allowed: LAN mirrors are a main use. Behind an HTTP proxy
// (HTTP_PROXY), the proxy is what is dialled and its own policy applies.
func PeerClient(allowLoopback bool) *http.Client {
	if allowLoopback {
		return peerLoopbackClient
	}
	return peerClient
}

var (
	peerClient         = guarded(false)
	peerLoopbackClient = guarded(true)
)

func guarded(allowLoopback bool) *http.Client {
	d := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second,
		Control: func(_, address string, _ syscall.RawConn) error { return refuseLocal(address, allowLoopback) }}
	return &http.Client{Transport: transport(d)}
}

// ErrLocalAddress is wrapped by a connection PeerClient refused.
var ErrLocalAddress = errors.New("refusing to connect to a local address for a URL a peer supplied")

func transport(d *net.Dialer) *http.Transport {
	t := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		MaxIdleConnsPerHost:   64,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: IdleTimeout,
	}
	if d != nil {
		t.DialContext = d.DialContext
		t.ForceAttemptHTTP2 = true // as without a custom dialer
	}
	return t
}

// refuseLocal runs for every address a guarded client dials, after name
// resolution.
func refuseLocal(address string, allowLoopback bool) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return err
	}
	ip = ip.Unmap()
	if (ip.IsLoopback() && !allowLoopback) || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() {
		return fmt.Errorf("%w: %s", ErrLocalAddress, ip)
	}
	return nil
}
