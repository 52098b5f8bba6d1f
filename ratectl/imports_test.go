package ratectl_test

import (
	"go/build"
	"path/filepath"
	"strings"
	"testing"
)

const module = "github.com/swarm-project/swarm/"

// TestImportDirection keeps the layering: ratectl and ratectl/wire use only
// the standard library, the session only those two (and x/sys), and no
// package imports anything above it.
func TestImportDirection(t *testing.T) {
	allowed := map[string][]string{
		".":       nil,
		"wire":    nil,
		"session": {module + "ratectl", module + "ratectl/wire", "golang.org/x/sys/"},
		"linksim": {module + "ratectl"},
		"simnet":  nil,
	}
	for dir, ok := range allowed {
		pkg, err := build.ImportDir(filepath.Join(".", dir), 0)
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		imports := append(append([]string{}, pkg.Imports...), pkg.TestImports...)
		if pkg.Doc == "" {
			t.Errorf("%s: no package doc comment", dir)
		}
	nextImport:
		for _, imp := range imports {
			if !strings.Contains(strings.Split(imp, "/")[0], ".") {
				continue // standard library
			}
			for _, prefix := range append(ok, testOnly(dir)...) {
				if imp == prefix || strings.HasPrefix(imp, prefix) && strings.HasSuffix(prefix, "/") {
					continue nextImport
				}
			}
			t.Errorf("%s imports %s", dir, imp)
		}
	}
}

// testOnly lists what a package's tests may import besides its own deps.
func testOnly(dir string) []string {
	switch dir {
	case ".":
		return []string{module + "ratectl", module + "ratectl/linksim"}
	case "session":
		return []string{module + "ratectl/simnet"}
	}
	return nil
}
