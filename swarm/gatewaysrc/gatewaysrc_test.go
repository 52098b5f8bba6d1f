package gatewaysrc_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ipfs/go-cid"

	"github.com/swarm-project/swarm/chunker/manifest"
	"github.com/swarm-project/swarm/swarm/fetch"
	"github.com/swarm-project/swarm/swarm/fetch/fetchtest"
	"github.com/swarm-project/swarm/swarm/gatewaysrc"
	"github.com/swarm-project/swarm/swarm/gatewaysrc/gatewaytest"
	"github.com/swarm-project/swarm/swarm/httpsrc"
)

type fixture struct {
	m      *manifest.Manifest
	files  map[string][]byte
	root   cid.Cid
	blocks map[cid.Cid][]byte
}

func newFixture(t *testing.T) fixture {
	m, files := fetchtest.Tree(t, "")
	root, blocks := fetchtest.Blocks(t, m, files)
	return fixture{m: m, files: files, root: root, blocks: blocks}
}

// serve starts a gateway; wrap, if set, may answer a request itself
// (returning true) instead of the honest gateway.
func serve(t *testing.T, blocks map[cid.Cid][]byte, wrap func(w http.ResponseWriter, r *http.Request) bool) *gatewaysrc.Gateway {
	t.Helper()
	honest := gatewaytest.Handler(gatewaytest.Map(blocks))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if wrap == nil || !wrap(w, r) {
			honest.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	g, err := gatewaysrc.New(srv.URL+"/ipfs/", srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestDownloadFromGateway(t *testing.T) {
	f := newFixture(t)
	g := serve(t, f.blocks, nil)
	dest, res, err := fetchtest.Get(t, f.m, g.Bind(f.m))
	if err != nil {
		t.Fatal(err)
	}
	fetchtest.Same(t, dest, f.files)
	if res.Sources[0].Bytes != f.m.TotalSize() || !strings.HasPrefix(res.Sources[0].Name, "gateway http://") {
		t.Fatalf("%+v", res.Sources)
	}
}

// With no peer at all, the manifest itself comes from the gateway, each
// block verified by the decoder.
func TestManifestFromGateway(t *testing.T) {
	f := newFixture(t)
	g := serve(t, f.blocks, nil)
	m, err := manifest.Decode(t.Context(), f.root, g.Fetch)
	if err != nil {
		t.Fatal(err)
	}
	if m.NumChunks() != f.m.NumChunks() || m.TotalSize() != f.m.TotalSize() {
		t.Fatalf("decoded %+v", m)
	}
}

// Gateways that lie, fail, cut bodies short or lack blocks never corrupt
// the output: the liar is dropped and named, the rest is fetched elsewhere.
func TestMisbehavingGateways(t *testing.T) {
	f := newFixture(t)
	var n atomic.Int64
	liar := serve(t, f.blocks, func(w http.ResponseWriter, r *http.Request) bool {
		w.Header().Set("Content-Type", gatewaysrc.RawType)
		w.Write(make([]byte, fetchtest.ChunkSize)) // zeros of the right length
		return true
	})
	flaky := serve(t, f.blocks, func(w http.ResponseWriter, r *http.Request) bool {
		if n.Add(1)%3 != 0 {
			return false
		}
		http.Error(w, "oops", http.StatusInternalServerError)
		return true
	})
	short := serve(t, f.blocks, func(w http.ResponseWriter, r *http.Request) bool {
		w.Header().Set("Content-Length", "1000")
		w.Write([]byte("short"))
		return true
	})
	empty := serve(t, map[cid.Cid][]byte{}, nil)
	srcs := []fetch.Source{liar.Bind(f.m), short.Bind(f.m), empty.Bind(f.m), flaky.Bind(f.m)}
	dest, res, err := fetchtest.Get(t, f.m, srcs...)
	if err != nil {
		t.Fatal(err)
	}
	fetchtest.Same(t, dest, f.files)
	if !strings.Contains(res.Sources[0].Dropped, "corrupt") {
		t.Errorf("liar not dropped: %+v", res.Sources)
	}
	if res.Sources[3].Bytes == 0 {
		t.Errorf("flaky gateway served nothing: %+v", res.Sources)
	}
}

func TestAnswersClassified(t *testing.T) {
	f := newFixture(t)
	chunk := f.m.Entries[0].Chunks[0]
	cases := []struct {
		name    string
		status  int
		ctype   string
		missing bool
	}{
		{"not found", http.StatusNotFound, "", true},
		{"blocked", http.StatusUnavailableForLegalReasons, "", true},
		{"no raw blocks", http.StatusOK, "text/html; charset=utf-8", true},
		{"server error", http.StatusInternalServerError, "", false},
		{"gave up looking", http.StatusGatewayTimeout, "", false},
		{"rate limited", http.StatusTooManyRequests, "", false},
	}
	for _, tc := range cases {
		g := serve(t, f.blocks, func(w http.ResponseWriter, r *http.Request) bool {
			if tc.ctype != "" {
				w.Header().Set("Content-Type", tc.ctype)
			}
			w.WriteHeader(tc.status)
			return true
		})
		_, err := g.Fetch(t.Context(), chunk)
		var se *httpsrc.StatusError
		if !errors.As(err, &se) || errors.Is(err, fetch.ErrNotHave) != tc.missing {
			t.Errorf("%s: %v (missing: want %v)", tc.name, err, tc.missing)
		}
	}
}

// A body longer than any block of its kind is refused before it is held.
func TestOversizedBodyRefused(t *testing.T) {
	f := newFixture(t)
	g := serve(t, f.blocks, func(w http.ResponseWriter, r *http.Request) bool {
		w.Write(make([]byte, manifest.MaxBlockSize+1))
		return true
	})
	if _, err := g.Fetch(context.Background(), f.root); err == nil || !strings.Contains(err.Error(), "larger than any") {
		t.Fatalf("got %v", err)
	}
}

func TestRequestShape(t *testing.T) {
	f := newFixture(t)
	var got *http.Request
	g := serve(t, f.blocks, func(w http.ResponseWriter, r *http.Request) bool { got = r; return false })
	if _, err := g.Fetch(t.Context(), f.root); err != nil {
		t.Fatal(err)
	}
	if got.URL.Path != "/ipfs/"+f.root.String() || got.URL.Query().Get("format") != "raw" || got.Header.Get("Accept") != gatewaysrc.RawType {
		t.Fatalf("request %s %v", got.URL, got.Header)
	}
	for _, bad := range []string{"ftp://x/", "not a url", "http://", "file:///etc/passwd"} {
		if _, err := gatewaysrc.New(bad, nil); !errors.Is(err, httpsrc.ErrBadEndpoint) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}
