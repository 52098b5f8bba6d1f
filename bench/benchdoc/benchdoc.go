// Package benchdoc keeps generated sections of docs/benchmarks.md: each
// generator owns the text between its own begin and end markers and
// leaves the rest of the document as it is.
package benchdoc

import (
	"os"
	"strings"
)

// Begin and End return the markers of section id.
func Begin(id string) string {
	return "<!-- BEGIN " + id + ": generated, do not edit by hand -->"
}

// End returns the end marker of section id.
func End(id string) string { return "<!-- END " + id + " -->" }

// UpdateSection replaces section id of the markdown file at path with body,
// appending the section if it is not there and creating the file if need be.
func UpdateSection(path, id, body string) error {
	old, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	return os.WriteFile(path, []byte(Replace(string(old), id, body)), 0o644)
}

// Replace returns doc with section id set to body.
func Replace(doc, id, body string) string {
	begin, end := Begin(id), End(id)
	if !strings.HasSuffix(body, "\n") {
		body += "\n"
	}
	block := begin + "\n" + body + end + "\n"
	i := strings.Index(doc, begin)
	j := strings.Index(doc, end)
	switch {
	case i >= 0 && j > i:
		return doc[:i] + block + strings.TrimPrefix(doc[j+len(end):], "\n")
	case strings.TrimSpace(doc) == "":
		return "# Benchmarks\n\n" + block
	default:
		return strings.TrimRight(doc, "\n") + "\n\n" + block
	}
}
