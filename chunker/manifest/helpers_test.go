package manifest

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"testing"

	cid "github.com/ipfs/go-cid"
	"github.com/swarm-project/swarm/chunker"
)

// smallLayout has 1 KiB blocks (fanout 16, 1018-byte leaves) so that tests
// reach several index levels with little data.
var smallLayout = layout{blockSize: 1024}

var errNotFound = errors.New("block not found")

// blockStore serves blocks by CID, like a peer would.
type blockStore map[string][]byte

func storeOf(blocks []Block) blockStore {
	s := blockStore{}
	for _, b := range blocks {
		s.put(b.CID, b.Data)
	}
	return s
}

func (s blockStore) put(c cid.Cid, data []byte) { s[c.KeyString()] = data }

func (s blockStore) get(_ context.Context, c cid.Cid) ([]byte, error) {
	if d, ok := s[c.KeyString()]; ok {
		return d, nil
	}
	return nil, fmt.Errorf("%w: %s", errNotFound, c)
}

// fakeChunks returns n distinct chunk CIDs.
func fakeChunks(n int64, seed string) []cid.Cid {
	if n == 0 {
		return nil
	}
	out := make([]cid.Cid, n)
	for i := range out {
		out[i] = chunker.ChunkCID([]byte(seed + "/" + strconv.Itoa(i)))
	}
	return out
}

func file(path string, size int64, chunkSize uint32) Entry {
	return Entry{Path: path, Kind: KindFile, Mode: 0o644, Size: size,
		Chunks: fakeChunks(chunker.ChunkCount(size, int(chunkSize)), path)}
}

func dir(path string) Entry { return Entry{Path: path, Kind: KindDir, Mode: 0o755} }

func dirManifest(cs uint32, entries ...Entry) *Manifest {
	return &Manifest{Name: "root", Root: KindDir, ChunkSize: cs, Entries: entries}
}

// roundTrip encodes m with lay, checks the blocks, decodes them back and
// checks the result equals m.
func roundTrip(t *testing.T, m *Manifest, lay layout) (cid.Cid, []Block) {
	t.Helper()
	root, blocks, err := encodeWith(m, lay)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	checkBlocks(t, root, blocks, lay)
	got, err := decodeWith(context.Background(), root, storeOf(blocks).get, lay)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	if !equalManifests(got, m) {
		t.Fatalf("decoded manifest differs:\n got %+v\nwant %+v", summary(got), summary(m))
	}
	return root, blocks
}

func checkBlocks(t *testing.T, root cid.Cid, blocks []Block, lay layout) {
	t.Helper()
	if len(blocks) == 0 || !blocks[0].CID.Equals(root) {
		t.Fatal("first block is not the root")
	}
	for _, b := range blocks {
		if len(b.Data) > lay.blockSize {
			t.Fatalf("block %s is %d bytes", b.CID, len(b.Data))
		}
		if err := chunker.Verify(b.CID, b.Data); err != nil || !IsManifest(b.CID) {
			t.Fatalf("block %s: %v (codec %#x)", b.CID, err, b.CID.Type())
		}
	}
}

// equalManifests compares, treating nil and empty chunk lists alike.
func equalManifests(a, b *Manifest) bool {
	if a.Name != b.Name || a.Root != b.Root || a.ChunkSize != b.ChunkSize || len(a.Entries) != len(b.Entries) {
		return false
	}
	for i := range a.Entries {
		x, y := &a.Entries[i], &b.Entries[i]
		if x.Path != y.Path || x.Kind != y.Kind || x.Mode != y.Mode || x.Size != y.Size || len(x.Chunks) != len(y.Chunks) {
			return false
		}
		for j := range x.Chunks {
			if !x.Chunks[j].Equals(y.Chunks[j]) {
				return false
			}
		}
	}
	return true
}

func summary(m *Manifest) string {
	return fmt.Sprintf("{%q root=%v cs=%d entries=%d size=%d chunks=%d}",
		m.Name, m.Root, m.ChunkSize, len(m.Entries), m.TotalSize(), m.NumChunks())
}

// rehash stores data under its own manifest CID and returns the CID, so a
// test can hand the parser any bytes without tripping verification.
func rehash(s blockStore, data []byte) cid.Cid {
	c := blockCID(data)
	s.put(c, data)
	return c
}

func wantInvalid(t *testing.T, err error) {
	t.Helper()
	var ie *InvalidError
	if !errors.Is(err, ErrInvalid) || !errors.As(err, &ie) {
		t.Fatalf("err = %v, want an *InvalidError", err)
	}
}
