package storecore

import (
	"net/url"
	"slices"

	"github.com/ipfs/go-cid"
)

// Limits of the HTTP(S) endpoints recorded for one root. They match the
// caps of the chunk protocol's ENDPOINT_LIST (node/wire), so every recorded
// URL can be advertised.
const (
	MaxEndpoints   = 16   // URLs per root
	MaxEndpointLen = 2048 // bytes per URL
)

// ValidateEndpoints checks what may be recorded for root: a defined CID and
// at most MaxEndpoints distinct absolute http:// or https:// URLs with a
// host, each at most MaxEndpointLen bytes. Errors wrap ErrInvalid.
func ValidateEndpoints(root cid.Cid, urls []string) error {
	if !root.Defined() {
		return invalidf("endpoints for an undefined root")
	}
	if len(urls) > MaxEndpoints {
		return invalidf("%d endpoints for %s, at most %d", len(urls), root, MaxEndpoints)
	}
	for i, u := range urls {
		if len(u) > MaxEndpointLen {
			return invalidf("endpoint longer than %d bytes", MaxEndpointLen)
		}
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return invalidf("endpoint %q is not an http:// or https:// URL", u)
		}
		if slices.Contains(urls[:i], u) {
			return invalidf("endpoint %q given twice", u)
		}
	}
	return nil
}
