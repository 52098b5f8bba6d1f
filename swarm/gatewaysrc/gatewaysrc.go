// Package gatewaysrc lets a download pull blocks from IPFS trustless
// gateways: GET {base}/ipfs/{cid}?format=raw with Accept:
// application/vnd.ipld.raw answers a block's bytes
// (https://specs.ipfs.tech/http-gateways/trustless-gateway/). Any block can
// be asked for by its CID, chunks and manifest blocks alike, so a gateway
// can stand in for peers altogether. A gateway is never trusted: the fetch
// engine verifies every chunk, the manifest decoder every manifest block.
package gatewaysrc

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/ipfs/go-cid"

	"github.com/swarm-project/swarm/chunker"
	"github.com/swarm-project/swarm/chunker/manifest"
	"github.com/swarm-project/swarm/swarm/httpsrc"
)

// RawType is the media type of a raw block.
const RawType = "application/vnd.ipld.raw"

// Gateway is a fetch.Source backed by a trustless gateway.
type Gateway struct {
	name   string
	base   *url.URL // without a trailing /ipfs
	client *http.Client
	sizes  map[cid.Cid]int64 // each chunk's size, once bound to a manifest
}

// New returns a source for the gateway at rawURL (e.g.
// https://trustless-gateway.link; a trailing /ipfs is dropped). With a nil
// client it uses httpsrc.DefaultClient.
func New(rawURL string, client *http.Client) (*Gateway, error) {
	u, err := httpsrc.ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	if client == nil {
		client = httpsrc.DefaultClient
	}
	u.Path = strings.TrimSuffix(strings.TrimSuffix(u.Path, "/"), "/ipfs")
	u.RawPath = ""
	return &Gateway{name: "gateway " + httpsrc.Redact(u), base: u, client: client}, nil
}

// Bind returns a copy of g that knows each chunk's size from m, so a
// gateway sending more bytes than a chunk has cannot make the download
// hold more than the chunk in memory.
func (g *Gateway) Bind(m *manifest.Manifest) *Gateway {
	b := *g
	b.sizes = make(map[cid.Cid]int64, m.NumChunks())
	cs := int64(m.ChunkSize)
	for _, e := range m.Entries {
		for i, c := range e.Chunks {
			b.sizes[c] = min(cs, e.Size-int64(i)*cs)
		}
	}
	return &b
}

// Name identifies the gateway in progress and summaries.
func (g *Gateway) Name() string { return g.name }

// Fetch gets one block. The bytes are not verified here: the caller does.
func (g *Gateway) Fetch(ctx context.Context, c cid.Cid) ([]byte, error) {
	resp, err := httpsrc.Open(ctx, g.client, g.blockURL(c), http.Header{"Accept": {RawType}})
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if err := check(resp); err != nil {
		return nil, err
	}
	if n, ok := g.sizes[c]; ok {
		return httpsrc.ReadN(resp, n)
	}
	return readCapped(resp, maxBlock(c))
}

// blockURL is {base}/ipfs/{cid}?format=raw, keeping the base's own query.
func (g *Gateway) blockURL(c cid.Cid) string {
	u := g.base.JoinPath("ipfs", c.String())
	q := u.Query()
	q.Set("format", "raw")
	u.RawQuery = q.Encode()
	return u.String()
}

// check classifies the answer. Missing: the gateway does not have the
// block (404, 410, 451 blocked) or cannot serve it as a raw block (400,
// 406, 415, 501; a 200 of another media type is a gateway that does not
// speak the trustless protocol). Other statuses (429, 5xx, 504 when a
// recursive gateway gave up looking) are transient.
func check(resp *http.Response) error {
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusBadRequest, http.StatusNotFound, http.StatusNotAcceptable, http.StatusGone,
		http.StatusPreconditionFailed, http.StatusUnsupportedMediaType,
		http.StatusUnavailableForLegalReasons, http.StatusNotImplemented:
		return httpsrc.NewStatusError(resp, "", true)
	default:
		return httpsrc.NewStatusError(resp, "", false)
	}
	ct := resp.Header.Get("Content-Type")
	if mt, _, _ := mime.ParseMediaType(ct); ct != "" && mt != RawType && mt != "application/octet-stream" {
		return httpsrc.NewStatusError(resp, fmt.Sprintf("answered %q, not %s (not a trustless gateway?)", mt, RawType), true)
	}
	return nil
}

// maxBlock is the most a block of c's kind can hold.
func maxBlock(c cid.Cid) int64 {
	if manifest.IsManifest(c) {
		return manifest.MaxBlockSize
	}
	return chunker.MaxChunkSize
}

// readCapped reads a body of unknown length, refusing one longer than max:
// it cannot be the block.
func readCapped(resp *http.Response, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %w", httpsrc.Redact(resp.Request.URL), httpsrc.ErrShortBody, err)
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%w: %s sent more than %d bytes, larger than any such block", chunker.ErrHashMismatch, httpsrc.Redact(resp.Request.URL), max)
	}
	return b, nil
}
