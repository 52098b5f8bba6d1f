// Package httpsrc lets a download pull chunks from plain HTTP(S) endpoints
// (mirrors, object-store URLs) by byte range. The endpoint knows nothing of
// Swarm: it serves the files' bytes; the manifest says which range of which
// file each chunk is, and the fetch engine verifies every chunk it gets.
package httpsrc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

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

// DefaultClient is used when New is given none.
var DefaultClient = &http.Client{Transport: &http.Transport{
	Proxy:                 http.ProxyFromEnvironment,
	MaxIdleConnsPerHost:   64,
	IdleConnTimeout:       90 * time.Second,
	TLSHandshakeTimeout:   10 * time.Second,
	ResponseHeaderTimeout: IdleTimeout,
}}

// IdleTimeout fails a request when no byte of the body arrives for this long.
const IdleTimeout = 60 * time.Second

// New maps every chunk of m onto rawURL.
func New(rawURL string, m *manifest.Manifest, client *http.Client) (*Endpoint, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%w: %q (want http:// or https://)", ErrBadEndpoint, rawURL)
	}
	if client == nil {
		client = DefaultClient
	}
	e := &Endpoint{name: "http " + redact(u), client: client, refs: map[cid.Cid]ref{}}
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

// redact drops credentials and the query (often a signature) from a name
// shown to users.
func redact(u *url.URL) string {
	c := *u
	c.User = nil
	c.RawQuery = ""
	return c.String()
}

// Name identifies the endpoint in progress and summaries.
func (e *Endpoint) Name() string { return e.name }

// Fetch gets one chunk with a range request.
func (e *Endpoint) Fetch(ctx context.Context, c cid.Cid) ([]byte, error) {
	r, ok := e.refs[c]
	if !ok {
		return nil, fmt.Errorf("%s: %w", c, fetch.ErrNotHave)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	idle := time.AfterFunc(IdleTimeout, cancel)
	defer idle.Stop()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Range", fmt.Sprintf("bytes=%d-%d", r.offset, r.offset+r.size-1))
	resp, err := e.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusPartialContent:
	case resp.StatusCode == http.StatusOK && r.whole:
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		return nil, fmt.Errorf("%s: %s: %w", r.url, resp.Status, fetch.ErrNotHave)
	case resp.StatusCode == http.StatusOK:
		return nil, fmt.Errorf("%s: server ignores range requests: %w", r.url, fetch.ErrNotHave)
	default:
		return nil, fmt.Errorf("%s: %s", r.url, resp.Status)
	}
	buf := make([]byte, r.size)
	if _, err := io.ReadFull(&watchdog{r: resp.Body, t: idle}, buf); err != nil {
		return nil, fmt.Errorf("%s: short body: %w", r.url, err)
	}
	return buf, nil
}

// watchdog pushes the idle timer back whenever bytes arrive.
type watchdog struct {
	r io.Reader
	t *time.Timer
}

func (w *watchdog) Read(b []byte) (int, error) {
	n, err := w.r.Read(b)
	if n > 0 {
		w.t.Reset(IdleTimeout)
	}
	return n, err
}
