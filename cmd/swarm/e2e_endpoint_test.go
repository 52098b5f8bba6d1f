package main_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/swarm-project/swarm/chunker"
	"github.com/swarm-project/swarm/node/nodetest"
)

// Endpoints through the real binary: recorded by `swarm add --endpoint`,
// listed, refused when not http(s), advertised to a downloader that names
// only the seeder (its summary names the mirror), and forgotten.
func TestE2EEndpoints(t *testing.T) {
	a, b := initRepo(t), initRepo(t)
	startDaemon(t, a)
	src := filepath.Join(t.TempDir(), "dataset")
	nodetest.WriteTree(t, src, chunker.DefaultChunkSize, 3)
	mirror := httptest.NewServer(http.FileServer(http.Dir(src)))
	defer mirror.Close()
	url := mirror.URL + "/"
	root := strings.TrimSpace(mustRun(t, a, "add", src, "-Q", "--endpoint", url))
	if ls := mustRun(t, a, "endpoint", "ls", root); !strings.Contains(ls, url) {
		t.Fatalf("endpoint ls: %q, want %s", ls, url)
	}
	if r := run(t, a, "endpoint", "add", root, "file:///etc/passwd"); r.code == 0 || !strings.Contains(r.stderr, "http") {
		t.Fatalf("a file: URL was accepted: exit %d, %s", r.code, r.stderr)
	}

	var sum struct {
		Sources map[string]int64 `json:"sources"`
	}
	dest := filepath.Join(t.TempDir(), "copy")
	out := mustRun(t, b, "get", root, "-o", dest, "--peer", loopbackAddr(t, a), "--json")
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("--json output %q: %v", out, err)
	}
	nodetest.SameTree(t, src, dest)
	advertised := false
	for name := range sum.Sources {
		advertised = advertised || strings.Contains(name, mirror.URL) && strings.Contains(name, "(via peer")
	}
	if !advertised {
		t.Fatalf("the mirror the seeder recorded is not among the sources: %v", sum.Sources)
	}

	mustRun(t, a, "endpoint", "rm", root, url)
	if ls := mustRun(t, a, "endpoint", "ls", root); strings.Contains(ls, url) {
		t.Fatalf("endpoint ls after rm: %q", ls)
	}
}
