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

// PeerClient is for URLs the user did not choose (endpoints advertised by
// a peer). It refuses to connect to loopback, link-local (cloud metadata
// services live at 169.254.169.254), multicast and unspecified addresses,
// checked on the address actually dialled, so a DNS name or a redirect
// pointing there is refused too. Private (RFC 1918) addresses are allowed:
// LAN mirrors are a main use. Behind an HTTP proxy (HTTP_PROXY), the proxy
// is what is dialled and its own policy applies.
var PeerClient = &http.Client{Transport: transport(&net.Dialer{
	Timeout: 30 * time.Second, KeepAlive: 30 * time.Second, Control: refuseLocal})}

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

// refuseLocal is a net.Dialer Control: it runs for every address dialled,
// after name resolution.
func refuseLocal(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return err
	}
	ip = ip.Unmap()
	if ip.IsLoopback() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() {
		return fmt.Errorf("%w: %s", ErrLocalAddress, ip)
	}
	return nil
}
