package storetest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ipfs/go-cid"

	"github.com/swarm-project/swarm/catalog"
	"github.com/swarm-project/swarm/chunker"
	"github.com/swarm-project/swarm/node/store/storecore"
)

func wantEndpoints(t *testing.T, s catalog.Store, root cid.Cid, want ...string) {
	t.Helper()
	got, err := s.Endpoints(t.Context(), root)
	if err != nil {
		t.Fatal(err)
	}
	if got == nil || !slices.Equal(got, want) {
		t.Fatalf("Endpoints = %q, want %q", got, want)
	}
}

func testEndpoints(t *testing.T, s catalog.Store) {
	ctx := t.Context()
	a, b := chunker.ChunkCID([]byte("a")), chunker.ChunkCID([]byte("b"))
	wantEndpoints(t, s, a) // none: empty, not an error
	urls := []string{"https://mirror.example/data/", "http://10.0.0.7:8080/x?sig=1%2F2"}
	if err := s.PutEndpoints(ctx, a, urls); err != nil {
		t.Fatal(err)
	}
	urls[0] = "changed by the caller"
	wantEndpoints(t, s, a, "https://mirror.example/data/", "http://10.0.0.7:8080/x?sig=1%2F2")
	wantEndpoints(t, s, b)
	if err := s.PutEndpoints(ctx, a, []string{"http://other/"}); err != nil {
		t.Fatal(err)
	}
	wantEndpoints(t, s, a, "http://other/") // replaced, not appended
	got, _ := s.Endpoints(ctx, a)
	got[0] = "changed by the caller"
	wantEndpoints(t, s, a, "http://other/")
	if err := s.PutEndpoints(ctx, a, nil); err != nil {
		t.Fatal(err)
	}
	wantEndpoints(t, s, a)
	full := make([]string, storecore.MaxEndpoints)
	for i := range full {
		full[i] = fmt.Sprintf("https://m%d.example/%s", i, strings.Repeat("p", storecore.MaxEndpointLen-30))
	}
	if err := s.PutEndpoints(ctx, b, full); err != nil {
		t.Fatal(err)
	}
	wantEndpoints(t, s, b, full...)
}

func testEndpointsInvalid(t *testing.T, s catalog.Store) {
	root := chunker.ChunkCID([]byte("root"))
	tooMany := make([]string, storecore.MaxEndpoints+1)
	for i := range tooMany {
		tooMany[i] = fmt.Sprintf("http://m%d/", i)
	}
	for name, c := range map[string]struct {
		root cid.Cid
		urls []string
	}{
		"undefined root": {cid.Undef, []string{"http://x/"}},
		"file scheme":    {root, []string{"file:///etc/passwd"}},
		"no host":        {root, []string{"http:///x"}},
		"relative":       {root, []string{"/x"}},
		"too long":       {root, []string{"http://x/" + strings.Repeat("p", storecore.MaxEndpointLen)}},
		"duplicate":      {root, []string{"http://x/", "http://x/"}},
		"too many":       {root, tooMany},
	} {
		if err := s.PutEndpoints(t.Context(), c.root, c.urls); !errors.Is(err, storecore.ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
	wantEndpoints(t, s, root)
}
