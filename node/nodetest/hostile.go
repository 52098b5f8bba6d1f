package nodetest

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ipfs/go-cid"

	"github.com/swarm-project/swarm/chunker"
	"github.com/swarm-project/swarm/chunker/manifest"
)

// HostileManifest returns a root whose manifest lists one file at path
// (e.g. "../x" or "/etc"), which no honest encoder produces: a valid
// manifest is built with a placeholder name of the same length, the name is
// patched in the encoded root block, and the block is renamed by its new
// hash. Its blocks include the file's chunk.
func HostileManifest(t testing.TB, path string) (cid.Cid, map[cid.Cid][]byte) {
	t.Helper()
	placeholder := strings.Repeat("q", len(path))
	_, blocks := Content(t, "evil", map[string][]byte{placeholder: []byte("payload")}, chunker.MinChunkSize)
	out := map[cid.Cid][]byte{}
	var root cid.Cid
	for c, data := range blocks {
		if !manifest.IsManifest(c) {
			out[c] = data
			continue
		}
		if bytes.Count(data, []byte(placeholder)) != 1 {
			t.Fatalf("placeholder %q not found exactly once in the manifest block", placeholder)
		}
		patched := bytes.Replace(data, []byte(placeholder), []byte(path), 1)
		root = chunker.BlockCID(manifest.Codec, patched)
		out[root] = patched
	}
	return root, out
}
