package manifest

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"runtime"
	"testing"

	cid "github.com/ipfs/go-cid"
	"github.com/swarm-project/swarm/chunker"
)

func encodeT(t *testing.T, m *Manifest, lay layout) (cid.Cid, []Block) {
	t.Helper()
	root, blocks, err := encodeWith(m, lay)
	if err != nil {
		t.Fatal(err)
	}
	return root, blocks
}

// treeManifest needs two index levels under smallLayout (depth 3).
func treeManifest() *Manifest { return dirManifest(cs, dir("d"), file("d/f", 8000*cs, cs)) }

func TestDecodeHashMismatch(t *testing.T) {
	for name, m := range map[string]*Manifest{"inline": goldenManifest(), "tree": treeManifest()} {
		root, blocks := encodeT(t, m, smallLayout)
		for _, i := range someBlocks(blocks) {
			s := storeOf(blocks)
			bad := bytes.Clone(blocks[i].Data)
			bad[len(bad)-1] ^= 1
			s.put(blocks[i].CID, bad)
			_, err := decodeWith(context.Background(), root, s.get, smallLayout)
			if !errors.Is(err, chunker.ErrHashMismatch) {
				t.Errorf("%s block %d: err = %v, want ErrHashMismatch", name, i, err)
			}
		}
	}
}

// someBlocks picks the root, the first index block and the last leaf of
// an encoding, or just the root if it is inline.
func someBlocks(blocks []Block) []int {
	if len(blocks) == 1 {
		return []int{0}
	}
	return []int{0, 1, len(blocks) - 1}
}

func TestDecodeNotManifest(t *testing.T) {
	s := blockStore{}
	raw := chunker.ChunkCID([]byte("x"))
	s.put(raw, []byte("x"))
	for name, c := range map[string]cid.Cid{
		"raw codec":  raw,
		"undefined":  cid.Undef,
		"no magic":   rehash(s, []byte("hello, world")),
		"empty":      rehash(s, nil),
		"magic only": rehash(s, []byte(magic)),
	} {
		if _, err := Decode(context.Background(), c, s.get); !errors.Is(err, ErrNotManifest) {
			t.Errorf("%s: err = %v, want ErrNotManifest", name, err)
		}
	}
}

func TestDecodeUnsupportedVersion(t *testing.T) {
	_, blocks := encodeT(t, goldenManifest(), defaultLayout)
	data := bytes.Clone(blocks[0].Data)
	data[len(magic)] = 2
	s := blockStore{}
	_, err := Decode(context.Background(), rehash(s, data), s.get)
	if !errors.Is(err, ErrUnsupportedVersion) || errors.Is(err, ErrInvalid) {
		t.Fatalf("err = %v, want ErrUnsupportedVersion", err)
	}
}

// TestDecodeTruncatedRoot feeds every proper prefix of valid root blocks,
// each under its own correct CID, so that only the parser can refuse it.
func TestDecodeTruncatedRoot(t *testing.T) {
	for name, m := range map[string]*Manifest{"inline": goldenManifest(), "tree": treeManifest(), "empty dir": dirManifest(cs)} {
		_, blocks := encodeT(t, m, smallLayout)
		s := storeOf(blocks)
		data := blocks[0].Data
		for n := range len(data) {
			if _, err := decodeWith(context.Background(), rehash(s, data[:n]), s.get, smallLayout); err == nil {
				t.Fatalf("%s: prefix of %d/%d bytes decoded", name, n, len(data))
			}
		}
	}
}

// substitute replaces block old by data and rewrites its ancestors so that
// the tree stays verifiable; it returns the new root CID.
func substitute(s blockStore, blocks []Block, old cid.Cid, data []byte) cid.Cid {
	c := rehash(s, data)
	for _, b := range blocks {
		if b.CID.Equals(old) || !bytes.Contains(b.Data, []byte(digestOf(old))) {
			continue
		}
		parent := bytes.Replace(b.Data, []byte(digestOf(old)), []byte(digestOf(c)), 1)
		return substitute(s, blocks, b.CID, parent)
	}
	return c
}

func TestDecodeTruncatedSubBlocks(t *testing.T) {
	// Blocks early in the walk of a depth-3 tree (both index levels and the
	// first leaf), and the short last leaf of a depth-2 tree, which is only
	// reached after every other leaf.
	deep := treeManifest()
	_, deepBlocks := encodeT(t, deep, smallLayout)
	leaves := len(deepBlocks) - 1 - 2 - 17 // root, 2 + 17 index blocks
	if deepBlocks[3].Data[headerLen-1] != typeIndex || deepBlocks[len(deepBlocks)-leaves-1].Data[headerLen-1] != typeIndex ||
		deepBlocks[len(deepBlocks)-leaves].Data[headerLen-1] != typeLeaf {
		t.Fatal("setup: block order is not root, index levels, leaves")
	}
	shallow := dirManifest(cs, file("f", 500*cs, cs))
	_, shallowBlocks := encodeT(t, shallow, smallLayout)
	cases := []struct {
		blocks []Block
		i      int
	}{{deepBlocks, 1}, {deepBlocks, 3}, {deepBlocks, len(deepBlocks) - leaves}, {shallowBlocks, len(shallowBlocks) - 1}}
	for _, tc := range cases {
		s := storeOf(tc.blocks)
		data := tc.blocks[tc.i].Data
		for n := range len(data) {
			root := substitute(s, tc.blocks, tc.blocks[tc.i].CID, data[:n])
			_, err := decodeWith(context.Background(), root, s.get, smallLayout)
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("block %d prefix %d/%d: err = %v, want ErrInvalid", tc.i, n, len(data), err)
			}
		}
	}
}

func TestDecodeTrailingBytes(t *testing.T) {
	for name, m := range map[string]*Manifest{"inline": goldenManifest(), "tree": treeManifest()} {
		_, blocks := encodeT(t, m, smallLayout)
		s := storeOf(blocks)
		for _, i := range someBlocks(blocks) {
			for _, extra := range [][]byte{{0}, bytes.Repeat([]byte{7}, digestLen)} {
				root := substitute(s, blocks, blocks[i].CID, append(bytes.Clone(blocks[i].Data), extra...))
				_, err := decodeWith(context.Background(), root, s.get, smallLayout)
				if !errors.Is(err, ErrInvalid) {
					t.Errorf("%s block %d + %d bytes: err = %v, want ErrInvalid", name, i, len(extra), err)
				}
			}
		}
	}
}

// rawStream serialises entries without validating them.
func rawStream(m *Manifest) []byte {
	w := newLeafWriter(defaultLayout)
	if err := writeEntries(w, m); err != nil {
		panic(err)
	}
	return bytes.Clone(w.payload())
}

// inlineRoot builds a root block around any stream.
func inlineRoot(m *Manifest, stream []byte) []byte {
	h := rootHeader{name: m.Name, root: m.Root, chunkSize: uint64(m.ChunkSize), entries: uint64(len(m.Entries)),
		totalSize: uint64(m.TotalSize()), chunks: uint64(m.NumChunks()), streamLen: uint64(len(stream))}
	return append(h.append(nil), stream...)
}

func uv(v ...uint64) []byte {
	var b []byte
	for _, x := range v {
		b = binary.AppendUvarint(b, x)
	}
	return b
}

func TestDecodeRejectsNonCanonical(t *testing.T) {
	two := dirManifest(cs, dir("ab"), dir("ac"))
	golden := goldenManifest()
	goldenRootBlock := inlineRoot(golden, rawStream(golden))
	tests := map[string]struct {
		m     *Manifest
		block []byte
	}{
		"non-minimal name length": {golden, append(append(bytes.Clone(goldenRootBlock[:headerLen]), 0x84, 0x00), goldenRootBlock[headerLen+1:]...)},
		"shared prefix not maximal": {two, inlineRoot(two, concat(
			uv(0, 2), []byte("ab"), []byte{byte(KindDir)}, uv(0o755),
			uv(0, 2), []byte("ac"), []byte{byte(KindDir)}, uv(0o755)))},
		"shared prefix too long": {two, inlineRoot(two, concat(
			uv(0, 2), []byte("ab"), []byte{byte(KindDir)}, uv(0o755),
			uv(3, 1), []byte("c"), []byte{byte(KindDir)}, uv(0o755)))},
		"duplicate (empty suffix)": {two, inlineRoot(two, concat(
			uv(0, 2), []byte("ab"), []byte{byte(KindDir)}, uv(0o755),
			uv(2, 0), []byte{byte(KindDir)}, uv(0o755)))},
		"non-minimal mode": {two, inlineRoot(two, concat(
			uv(0, 2), []byte("ab"), []byte{byte(KindDir)}, []byte{0xed, 0x83, 0x00},
			uv(1, 1), []byte("c"), []byte{byte(KindDir)}, uv(0o755)))},
		"mode beyond 0o777": {two, inlineRoot(two, concat(
			uv(0, 2), []byte("ab"), []byte{byte(KindDir)}, uv(0o1755),
			uv(1, 1), []byte("c"), []byte{byte(KindDir)}, uv(0o755)))},
		"unknown kind": {two, inlineRoot(two, concat(
			uv(0, 2), []byte("ab"), []byte{3}, uv(0o755),
			uv(1, 1), []byte("c"), []byte{byte(KindDir)}, uv(0o755)))},
		"unsorted":               {dirManifest(cs, dir("b"), dir("a")), inlineRoot(dirManifest(cs, dir("b"), dir("a")), rawStream(dirManifest(cs, dir("b"), dir("a"))))},
		"missing parent":         {dirManifest(cs, dir("a/b")), inlineRoot(dirManifest(cs, dir("a/b")), rawStream(dirManifest(cs, dir("a/b"))))},
		"traversal":              {dirManifest(cs, dir("..")), inlineRoot(dirManifest(cs, dir("..")), rawStream(dirManifest(cs, dir(".."))))},
		"unsupported chunk hash": {golden, bytes.Replace(goldenRootBlock, []byte{0x1e, 0x20}, []byte{0x13, 0x20}, 1)},
		"entry count too high":   {golden, bytes.Replace(goldenRootBlock, []byte{0x04, 0x1f, 0x02}, []byte{0x05, 0x1f, 0x02}, 1)},
		"total size wrong":       {golden, bytes.Replace(goldenRootBlock, []byte{0x04, 0x1f, 0x02}, []byte{0x04, 0x20, 0x02}, 1)},
		"chunk count wrong":      {golden, bytes.Replace(goldenRootBlock, []byte{0x04, 0x1f, 0x02}, []byte{0x04, 0x1f, 0x03}, 1)},
		"bad chunk size":         {golden, bytes.Replace(goldenRootBlock, []byte{0x80, 0x80, 0x40}, []byte{0x81, 0x80, 0x40}, 1)},
		"zero chunk size":        {golden, bytes.Replace(goldenRootBlock, []byte{0x80, 0x80, 0x40}, []byte{0x00}, 1)},
		"depth out of range":     {golden, bytes.Replace(goldenRootBlock, []byte{0x70, 0x00}, []byte{0x70, 0x05}, 1)},
		"stream length short":    {golden, bytes.Replace(goldenRootBlock, []byte{0x70, 0x00}, []byte{0x6f, 0x00}, 1)},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			s := blockStore{}
			_, err := Decode(context.Background(), rehash(s, tt.block), s.get)
			wantInvalid(t, err)
			t.Log(err)
		})
	}
}

func concat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// TestGoldenHeaderBytes pins the bytes TestDecodeRejectsNonCanonical patches.
func TestGoldenHeaderBytes(t *testing.T) {
	b := inlineRoot(goldenManifest(), rawStream(goldenManifest()))
	for _, want := range [][]byte{{0x04, 0x1f, 0x02}, {0x80, 0x80, 0x40}, {0x70, 0x00}, {0x1e, 0x20}} {
		if !bytes.Contains(b, want) {
			t.Fatalf("golden root lacks % x", want)
		}
	}
	if _, blocks := encodeT(t, goldenManifest(), defaultLayout); !bytes.Equal(blocks[0].Data, b) {
		t.Fatal("inlineRoot differs from Encode")
	}
}

// TestDecodeRejectsNonMinimalTree covers blocks that are well formed but
// not the one shape the stream length allows.
func TestDecodeRejectsNonMinimalTree(t *testing.T) {
	small := goldenManifest()
	stream := rawStream(small)
	h := rootHeader{name: small.Name, root: small.Root, chunkSize: uint64(small.ChunkSize), entries: 4,
		totalSize: uint64(small.TotalSize()), chunks: 2, streamLen: uint64(len(stream)), depth: 1}
	s := blockStore{}
	leaf := rehash(s, append(appendHeader(nil, typeLeaf), stream...))
	root := rehash(s, append(h.append(nil), digestOf(leaf)...))
	_, err := Decode(context.Background(), root, s.get)
	wantInvalid(t, err)

	// A depth-1 tree (2 leaves) dressed as depth 2 with one index block.
	_, blocks := encodeT(t, dirManifest(cs, file("f", 35*cs, cs)), smallLayout)
	hh, body, err := parseRoot(blocks[0].Data)
	if err != nil || hh.depth != 1 {
		t.Fatalf("setup: depth %d, %v", hh.depth, err)
	}
	index := rehash(s, append(appendHeader(nil, typeIndex), body...))
	hh.depth = 2
	root = rehash(s, append(hh.append(nil), digestOf(index)...))
	for _, b := range blocks[1:] {
		s.put(b.CID, b.Data)
	}
	_, err = decodeWith(context.Background(), root, s.get, smallLayout)
	wantInvalid(t, err)

	// A leaf where an index block belongs, and the other way round.
	_, blocks = encodeT(t, treeManifest(), smallLayout)
	s = storeOf(blocks)
	for _, i := range []int{1, len(blocks) - 1} {
		data := bytes.Clone(blocks[i].Data)
		data[len(magic)+1] ^= typeIndex ^ typeLeaf
		_, err = decodeWith(context.Background(), substitute(s, blocks, blocks[i].CID, data), s.get, smallLayout)
		wantInvalid(t, err)
	}
}

func TestDecodeLeafAsRoot(t *testing.T) {
	_, blocks := encodeT(t, treeManifest(), smallLayout)
	s := storeOf(blocks)
	_, err := decodeWith(context.Background(), blocks[len(blocks)-1].CID, s.get, smallLayout)
	wantInvalid(t, err)
}

func TestDecodeOversizedBlock(t *testing.T) {
	s := blockStore{}
	big := append(appendHeader(nil, typeRoot), make([]byte, MaxBlockSize)...)
	_, err := Decode(context.Background(), rehash(s, big), s.get)
	wantInvalid(t, err)
}

func TestDecodeGetterErrorAndCancel(t *testing.T) {
	root, blocks := encodeT(t, treeManifest(), smallLayout)
	s := storeOf(blocks)
	delete(s, blocks[len(blocks)-1].CID.KeyString())
	if _, err := decodeWith(context.Background(), root, s.get, smallLayout); !errors.Is(err, errNotFound) {
		t.Errorf("missing leaf: err = %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	fetches := 0
	get := func(ctx context.Context, c cid.Cid) ([]byte, error) {
		if fetches++; fetches == 3 {
			cancel()
		}
		return s.get(ctx, c)
	}
	if _, err := decodeWith(ctx, root, get, smallLayout); !errors.Is(err, context.Canceled) || fetches != 3 {
		t.Errorf("cancelled: err = %v after %d fetches", err, fetches)
	}
}

// TestDecodeHostileCounts checks that huge counts in a tiny block do not
// turn into huge allocations.
func TestDecodeHostileCounts(t *testing.T) {
	hostile := map[string][]byte{
		"max entries": (&rootHeader{name: "x", root: KindDir, chunkSize: cs, entries: MaxEntries, streamLen: 0}).append(nil),
		"huge file": append((&rootHeader{name: "x", root: KindDir, chunkSize: cs, entries: 1, totalSize: MaxTotalSize,
			chunks: MaxStreamSize / multihashLen, streamLen: 8}).append(nil),
			concat(uv(0, 1), []byte("f"), []byte{byte(KindFile)}, uv(0), uv(MaxTotalSize))...),
		"huge stream": (&rootHeader{name: "x", root: KindDir, chunkSize: cs, entries: MaxEntries, streamLen: MaxStreamSize, depth: 2}).append(nil),
	}
	for name, block := range hostile {
		s := blockStore{}
		c := rehash(s, block)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := Decode(context.Background(), c, s.get)
		runtime.ReadMemStats(&after)
		wantInvalid(t, err)
		if n := after.TotalAlloc - before.TotalAlloc; n > 8<<20 {
			t.Errorf("%s: decoding allocated %d bytes", name, n)
		}
	}
}
