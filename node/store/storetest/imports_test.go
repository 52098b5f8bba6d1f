package storetest_test

import (
	"os/exec"
	"strings"
	"testing"
)

// Only node/store may import Badger: other packages' tests use the memory
// store without pulling Badger in.
func TestNoBadgerOutsideNodeStore(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not found")
	}
	pkgs := []string{".", "../storecore", "../blobstore"}
	out, err := exec.Command(goTool, append([]string{"list", "-deps"}, pkgs...)...).Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "github.com/dgraph-io/") {
			t.Errorf("%v depend on %s", pkgs, dep)
		}
	}
}
