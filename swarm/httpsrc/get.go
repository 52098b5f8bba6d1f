package httpsrc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/swarm-project/swarm/swarm/fetch"
)

// IdleTimeout fails a request when no byte of the body arrives for this long.
const IdleTimeout = 60 * time.Second

// ErrShortBody is wrapped by a body that ended before the bytes asked for
// (a cut connection, a server that lied about the length): retryable.
var ErrShortBody = errors.New("short body")

// StatusError is an HTTP answer other than the bytes asked for.
type StatusError struct {
	URL    string // redacted: no credentials, no query
	Status string
	// Missing says the server does not hold the content (404, 410, ...):
	// the error then wraps fetch.ErrNotHave and the chunk is not asked of
	// this source again. Otherwise the failure is transient.
	Missing bool
}

func (e *StatusError) Error() string { return e.URL + ": " + e.Status }

// Unwrap makes a missing answer errors.Is(err, fetch.ErrNotHave).
func (e *StatusError) Unwrap() error {
	if e.Missing {
		return fetch.ErrNotHave
	}
	return nil
}

// NewStatusError describes resp; missing as in StatusError.
func NewStatusError(resp *http.Response, status string, missing bool) *StatusError {
	if status == "" {
		status = resp.Status
	}
	return &StatusError{URL: Redact(resp.Request.URL), Status: status, Missing: missing}
}

// ParseURL checks that raw is an absolute http:// or https:// URL with a
// host. Errors wrap ErrBadEndpoint.
func ParseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%w: %q (want http:// or https://)", ErrBadEndpoint, raw)
	}
	return u, nil
}

// Redact drops credentials and the query (often a signature) from a URL
// shown to users.
func Redact(u *url.URL) string {
	c := *u
	c.User = nil
	c.RawQuery = ""
	return c.String()
}

// Open sends a GET for rawURL with the headers hdr. The returned body fails
// when no byte arrives for IdleTimeout; closing it ends the request. Errors
// name the URL redacted; a connection a guarded client refused (see
// PeerClient) wraps fetch.ErrNotHave.
func Open(ctx context.Context, client *http.Client, rawURL string, hdr http.Header) (*http.Response, error) {
	ctx, cancel := context.WithCancel(ctx)
	idle := time.AfterFunc(IdleTimeout, cancel)
	stop := func() { idle.Stop(); cancel() }
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		stop()
		return nil, err
	}
	req.Header = hdr
	resp, err := client.Do(req)
	if err != nil {
		stop()
		var ue *url.Error
		if errors.As(err, &ue) {
			ue.URL = Redact(req.URL)
		}
		if errors.Is(err, ErrLocalAddress) {
			return nil, fmt.Errorf("%w: %w", fetch.ErrNotHave, err) // never worth retrying
		}
		return nil, err
	}
	resp.Body = &watchdog{rc: resp.Body, t: idle, stop: stop}
	return resp, nil
}

// ReadN reads exactly n bytes of body; fewer is ErrShortBody.
func ReadN(resp *http.Response, n int64) ([]byte, error) {
	buf := make([]byte, n)
	if _, err := io.ReadFull(resp.Body, buf); err != nil {
		return nil, fmt.Errorf("%s: %w: %w", Redact(resp.Request.URL), ErrShortBody, err)
	}
	return buf, nil
}

// watchdog pushes the idle timer back whenever bytes arrive.
type watchdog struct {
	rc   io.ReadCloser
	t    *time.Timer
	stop func()
}

func (w *watchdog) Read(b []byte) (int, error) {
	n, err := w.rc.Read(b)
	if n > 0 {
		w.t.Reset(IdleTimeout)
	}
	return n, err
}

func (w *watchdog) Close() error {
	err := w.rc.Close()
	w.stop()
	return err
}
