package httpsrc

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/swarm-project/swarm/swarm/fetch"
	"github.com/swarm-project/swarm/swarm/fetch/fetchtest"
)

func TestFileServerMirror(t *testing.T) {
	dir := t.TempDir()
	m, files := fetchtest.Tree(t, dir)
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()
	ep, err := New(srv.URL+"/", m, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	dest, res, err := fetchtest.Get(t, m, ep)
	if err != nil {
		t.Fatal(err)
	}
	fetchtest.Same(t, dest, files)
	if res.Sources[0].Bytes != m.TotalSize() {
		t.Fatalf("%+v", res.Sources)
	}
}

// An endpoint that lies, fails or cuts bodies short never corrupts the
// output: the liar is dropped, the rest is retried elsewhere.
func TestMisbehavingEndpoints(t *testing.T) {
	dir := t.TempDir()
	m, files := fetchtest.Tree(t, dir)
	good := http.FileServer(http.Dir(dir))
	var n atomic.Int64
	mk := func(h http.Handler) *httptest.Server { s := httptest.NewServer(h); t.Cleanup(s.Close); return s }
	liar := mk(fetchtest.Flip(good))
	flaky := mk(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1)%3 == 0 {
			http.Error(w, "oops", http.StatusInternalServerError)
			return
		}
		good.ServeHTTP(w, r)
	}))
	short := mk(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000")
		w.WriteHeader(http.StatusPartialContent)
		w.Write([]byte("short"))
	}))
	var srcs []fetch.Source
	for _, s := range []*httptest.Server{liar, short, flaky} {
		ep, err := New(s.URL, m, s.Client())
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, ep)
	}
	dest, res, err := fetchtest.Get(t, m, srcs...)
	if err != nil {
		t.Fatal(err)
	}
	fetchtest.Same(t, dest, files)
	if res.Sources[0].Dropped == "" {
		t.Errorf("liar not dropped: %+v", res.Sources)
	}
}

func TestNotFoundAndBadURL(t *testing.T) {
	m, _ := fetchtest.Tree(t, t.TempDir())
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	ep, _ := New(srv.URL, m, srv.Client())
	if _, _, err := fetchtest.Get(t, m, ep); !errors.Is(err, fetch.ErrUnavailable) {
		t.Fatalf("got %v", err)
	}
	for _, bad := range []string{"ftp://x/y", "not a url", "http://"} {
		if _, err := New(bad, m, nil); !errors.Is(err, ErrBadEndpoint) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestNameHidesSecrets(t *testing.T) {
	m, _ := fetchtest.Tree(t, t.TempDir())
	ep, _ := New("https://user:pw@example.org/bucket?X-Amz-Signature=abc", m, nil)
	if name := ep.Name(); slices.ContainsFunc([]string{"pw", "Signature"}, func(s string) bool { return bytes.Contains([]byte(name), []byte(s)) }) {
		t.Fatalf("name leaks secrets: %s", name)
	}
}

// A URL a peer supplied never reaches this host's own services (unless the
// peer is on this host) or a cloud metadata address, by literal or by name.
func TestPeerClientRefusesLocal(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	for _, u := range []string{srv.URL, "http://localhost:1/", "http://169.254.169.254/latest/meta-data/", "http://[::1]:1/", "http://0.0.0.0:1/"} {
		_, err := PeerClient(false).Get(u)
		if !errors.Is(err, ErrLocalAddress) {
			t.Errorf("%s: %v, want ErrLocalAddress", u, err)
		}
	}
	if resp, err := PeerClient(true).Get(srv.URL); err != nil {
		t.Errorf("loopback refused for a peer on this host: %v", err)
	} else {
		resp.Body.Close()
	}
	if err := refuseLocal("169.254.169.254:80", true); !errors.Is(err, ErrLocalAddress) {
		t.Errorf("metadata address allowed: %v", err)
	}
	for _, ok := range []string{"10.1.2.3:80", "192.168.1.1:443", "203.0.113.7:80", "[2001:db8::1]:80"} {
		if err := refuseLocal(ok, false); err != nil {
			t.Errorf("%s refused: %v", ok, err)
		}
	}
	// Through a source, a refused address is "does not have it", not a retry.
	m, _ := fetchtest.Tree(t, "")
	ep, _ := New("http://169.254.169.254/x", m, PeerClient(true))
	if _, err := ep.Fetch(t.Context(), m.Entries[0].Chunks[0]); !errors.Is(err, fetch.ErrNotHave) {
		t.Errorf("refused dial: %v", err)
	}
}

func TestStatusErrorsAreTypedAndRedacted(t *testing.T) {
	m, _ := fetchtest.Tree(t, "")
	gone := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusGone) }))
	defer gone.Close()
	ep, _ := New(gone.URL+"/?X-Amz-Signature=secret", m, gone.Client())
	_, err := ep.Fetch(t.Context(), m.Entries[0].Chunks[0])
	var se *StatusError
	if !errors.As(err, &se) || !errors.Is(err, fetch.ErrNotHave) || bytes.Contains([]byte(err.Error()), []byte("secret")) {
		t.Fatalf("got %v", err)
	}
}
