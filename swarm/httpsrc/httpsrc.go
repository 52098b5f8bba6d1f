// Package httpsrc lets a download pull chunks from plain HTTP(S) endpoints
// (mirrors, object-store URLs) by byte range. The endpoint knows nothing of
// Swarm: it serves the files' bytes; the manifest says which range of which
// file each chunk is, and the fetch engine verifies every chunk it gets.
//
// It also holds the HTTP plumbing that swarm/gatewaysrc shares: URL checks,
// requests that fail on silence, typed status errors, and a client for URLs
// that peers supplied (PeerClient).
package httpsrc

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/ipfs/go-cid"

	"github.com/swarm-project/swarm/chunker/manifest"
	"github.com/swarm-project/swarm/swarm/fetch"
)

// ErrBadEndpoint is wrapped by errors about the endpoint URL itself.
var ErrBadEndpoint = errors.New("bad endpoint URL")

// ref is where a chunk lives on the endpoint.
type ref struct {
	url    string
	offset int64
	size   int64
	whole  bool // the chunk is the whole file: a 200 answer is as good as a 206
}

// Endpoint is a fetch.Source backed by an HTTP server holding the content:
// for a single-file root the URL is the file; for a directory root it is the
// base that the manifest's relative paths are appended to.
type Endpoint struct {
	name   string
	client *http.Client
	refs   map[cid.Cid]ref
}

// New maps every chunk of m onto rawURL.
func New(rawURL string, m *manifest.Manifest, client *http.Client) (*Endpoint, error) {
	u, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	if client == nil {
		client = DefaultClient
	}
	e := &Endpoint{name: "http " + Redact(u), client: client, refs: map[cid.Cid]ref{}}
	for _, en := range m.Entries {
		if en.Kind != manifest.KindFile {
			continue
		}
		fileURL := rawURL
		if m.Root == manifest.KindDir {
			fileURL = join(u, en.Path)
		}
		e.addFile(fileURL, en, int64(m.ChunkSize))
	}
	return e, nil
}

func (e *Endpoint) addFile(fileURL string, en manifest.Entry, cs int64) {
	for i, c := range en.Chunks {
		if _, dup := e.refs[c]; dup {
			continue // identical bytes elsewhere: any copy will do
		}
		off := int64(i) * cs
		size := min(cs, en.Size-off)
		e.refs[c] = ref{url: fileURL, offset: off, size: size, whole: off == 0 && size == en.Size}
	}
}

// join appends a slash-separated manifest path to the base URL, escaping
// each component.
func join(base *url.URL, p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	u := *base
	u.Path = strings.TrimSuffix(base.Path, "/") + "/" + p
	u.RawPath = strings.TrimSuffix(base.EscapedPath(), "/") + "/" + strings.Join(parts, "/")
	return u.String()
}

// Name identifies the endpoint in progress and summaries.
func (e *Endpoint) Name() string { return e.name }

// Fetch gets one chunk with a range request.
func (e *Endpoint) Fetch(ctx context.Context, c cid.Cid) ([]byte, error) {
	r, ok := e.refs[c]
	if !ok {
		return nil, fmt.Errorf("%s: %w", c, fetch.ErrNotHave)
	}
	hdr := http.Header{"Range": {fmt.Sprintf("bytes=%d-%d", r.offset, r.offset+r.size-1)}}
	resp, err := Open(ctx, e.client, r.url, hdr)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	switch code := resp.StatusCode; {
	case code == http.StatusPartialContent, code == http.StatusOK && r.whole:
		return ReadN(resp, r.size)
	case code == http.StatusOK:
		return nil, NewStatusError(resp, "server ignores range requests", true)
	default:
		return nil, NewStatusError(resp, "", code == http.StatusNotFound || code == http.StatusGone)
	}
}
