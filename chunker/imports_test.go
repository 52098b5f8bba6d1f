package chunker

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImports keeps chunker at the bottom of the package graph: the
// standard library, go-cid, go-multihash and a BLAKE3 library only.
func TestImports(t *testing.T) {
	allowed := []string{"github.com/ipfs/go-cid", "github.com/multiformats/go-multihash", "github.com/zeebo/blake3"}
	checkImports(t, ".", allowed)
}

func checkImports(t *testing.T, dir string, allowed []string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no Go files: %v", err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, spec := range f.Imports {
			path, _ := strconv.Unquote(spec.Path.Value)
			if !importAllowed(path, allowed) {
				t.Errorf("%s imports %s", name, path)
			}
		}
	}
}

func importAllowed(path string, allowed []string) bool {
	first, _, _ := strings.Cut(path, "/")
	if !strings.Contains(first, ".") {
		return true // standard library
	}
	for _, a := range allowed {
		if path == a || strings.HasPrefix(path, a+"/") {
			return true
		}
	}
	return false
}
