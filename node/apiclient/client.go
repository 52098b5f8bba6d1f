// Package apiclient is the CLI's way into a node: a client for the local
// HTTP API (node/api). Failures come back as *apitype.Error so callers can
// map their Code to exit codes.
package apiclient

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/swarm-project/swarm/node/apitype"
)

// TokenHeader must match node/api.TokenHeader.
const TokenHeader = "X-Swarm-Token"

// ErrNoDaemon: the repo has no running daemon (no api file, or it does not answer).
var ErrNoDaemon = errors.New("no daemon running for this repo")

// Client talks to one node.
type Client struct {
	base  string // http://HOST:PORT
	token string
	http  *http.Client
}

// Base is the API's base URL, http://HOST:PORT.
func (c *Client) Base() string { return c.base }

// New returns a client for a node's API at addr (HOST:PORT) with token.
func New(addr, token string) *Client {
	return &Client{base: "http://" + addr, token: token, http: &http.Client{}}
}

// FromRepo reads $REPO/api and $REPO/api.token and checks that the daemon
// answers. It returns ErrNoDaemon when there is none.
func FromRepo(ctx context.Context, repo string) (*Client, error) {
	addr, err := os.ReadFile(filepath.Join(repo, "api"))
	if err != nil {
		return nil, ErrNoDaemon
	}
	token, err := os.ReadFile(filepath.Join(repo, "api.token"))
	if err != nil {
		return nil, ErrNoDaemon
	}
	c := New(strings.TrimSpace(string(addr)), strings.TrimSpace(string(token)))
	if _, err := c.ID(ctx); err != nil {
		var ae *apitype.Error
		if errors.As(err, &ae) {
			return nil, err
		}
		return nil, ErrNoDaemon
	}
	return c, nil
}

func (c *Client) do(ctx context.Context, method, path string, body any) (*http.Response, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set(TokenHeader, c.token)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		defer resp.Body.Close()
		var e apitype.Error
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		if json.Unmarshal(b, &e) != nil || e.Code == "" {
			e = apitype.Error{Code: apitype.CodeInternal, Message: fmt.Sprintf("%s: %s", resp.Status, strings.TrimSpace(string(b)))}
		}
		return nil, &e
	}
	return resp, nil
}

func (c *Client) getJSON(ctx context.Context, path string, out any) error {
	return c.doJSON(ctx, http.MethodGet, path, nil, out)
}

// doJSON sends body (if not nil) as JSON and decodes the JSON reply into out.
func (c *Client) doJSON(ctx context.Context, method, path string, body, out any) error {
	resp, err := c.do(ctx, method, path, body)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return json.NewDecoder(resp.Body).Decode(out)
}

// ID returns the node's identity and addresses.
func (c *Client) ID(ctx context.Context) (*apitype.ID, error) {
	var out apitype.ID
	return &out, c.getJSON(ctx, "/v1/id", &out)
}

// Pins lists pinned roots.
func (c *Client) Pins(ctx context.Context) ([]apitype.Pin, error) {
	var out []apitype.Pin
	return out, c.getJSON(ctx, "/v1/pins", &out)
}

// Bans lists the peers the node remembers as bad.
func (c *Client) Bans(ctx context.Context) ([]apitype.Ban, error) {
	var out []apitype.Ban
	return out, c.getJSON(ctx, "/v1/bans", &out)
}

// ClearBans forgets the bans of peers (every ban when none is given) and
// returns how many were forgotten.
func (c *Client) ClearBans(ctx context.Context, peers []string) (int, error) {
	var out apitype.Cleared
	err := c.doJSON(ctx, http.MethodPost, "/v1/bans/clear", apitype.ClearBans{Peers: peers}, &out)
	return out.Cleared, err
}

// Endpoints lists the HTTP(S) URLs recorded for a root.
func (c *Client) Endpoints(ctx context.Context, root string) (*apitype.Endpoints, error) {
	var out apitype.Endpoints
	return &out, c.getJSON(ctx, "/v1/endpoints/"+url.PathEscape(root), &out)
}

// EditEndpoints records and forgets URLs of a root and returns the result.
func (c *Client) EditEndpoints(ctx context.Context, root string, req apitype.EndpointsRequest) (*apitype.Endpoints, error) {
	var out apitype.Endpoints
	return &out, c.doJSON(ctx, http.MethodPost, "/v1/endpoints/"+url.PathEscape(root), req, &out)
}

// Status returns the node's status.
func (c *Client) Status(ctx context.Context) (*apitype.Status, error) {
	var out apitype.Status
	return &out, c.getJSON(ctx, "/v1/status", &out)
}

// Ls lists a root's entries, asking peers or gateways for the manifest if
// needed.
func (c *Client) Ls(ctx context.Context, root string, peers, gateways []string) (*apitype.Ls, error) {
	q := url.Values{"peer": peers, "gateway": gateways}
	var out apitype.Ls
	return &out, c.getJSON(ctx, "/v1/ls/"+url.PathEscape(root)+"?"+q.Encode(), &out)
}

// Add adds a path (made absolute here), calling progress as it goes.
func (c *Client) Add(ctx context.Context, req apitype.AddRequest, progress func(apitype.Progress)) (*apitype.AddResult, error) {
	ev, err := c.stream(ctx, "/v1/add", req, progress)
	if err != nil {
		return nil, err
	}
	return ev.Add, nil
}

// Get downloads a root. On failure the partial result (if any) is returned
// with the error.
func (c *Client) Get(ctx context.Context, req apitype.GetRequest, progress func(apitype.Progress)) (*apitype.GetResult, error) {
	ev, err := c.stream(ctx, "/v1/get", req, progress)
	if ev != nil {
		return ev.Get, err
	}
	return nil, err
}

// stream posts body and reads NDJSON events until "done" or "error".
func (c *Client) stream(ctx context.Context, path string, body any, progress func(apitype.Progress)) (*apitype.Event, error) {
	resp, err := c.do(ctx, http.MethodPost, path, body)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		var ev apitype.Event
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			return nil, fmt.Errorf("bad event from node: %w", err)
		}
		switch ev.Type {
		case "progress":
			if progress != nil && ev.Progress != nil {
				progress(*ev.Progress)
			}
		case "done":
			return &ev, nil
		case "error":
			if ev.Error == nil {
				ev.Error = &apitype.Error{Code: apitype.CodeInternal, Message: "unknown error"}
			}
			return &ev, ev.Error
		}
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("connection to node lost: %w", err)
	}
	return nil, fmt.Errorf("connection to node lost before the operation finished")
}
