package benchdoc

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReplaceKeepsOtherText(t *testing.T) {
	doc := "# Benchmarks\n\n## Hashing\nfast\n"
	doc = Replace(doc, "wan", "first")
	doc = Replace(doc, "local", "L1")
	doc = Replace(doc, "wan", "second")
	if !strings.Contains(doc, "## Hashing\nfast\n") || strings.Contains(doc, "first") {
		t.Errorf("document:\n%s", doc)
	}
	if strings.Count(doc, Begin("wan")) != 1 || !strings.Contains(doc, "second\n"+End("wan")) || !strings.Contains(doc, "L1\n"+End("local")) {
		t.Errorf("sections wrong:\n%s", doc)
	}
	if !strings.HasPrefix(Replace("", "x", "b"), "# Benchmarks\n") {
		t.Error("new document has no title")
	}
}

func TestUpdateSectionCreatesFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "b.md")
	if err := UpdateSection(p, "wan", "table"); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil || !strings.Contains(string(b), "table\n"+End("wan")) {
		t.Errorf("file %q err %v", b, err)
	}
}
