package manifest

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"testing"
)

// fuzzSeeds returns one encoding of every block type: inline roots of each
// root kind, tree roots, index blocks and leaves.
func fuzzSeeds(t testing.TB, lay layout) [][]Block {
	manifests := []*Manifest{
		goldenManifest(),
		dirManifest(cs),
		{Name: "f", Root: KindFile, ChunkSize: cs, Entries: []Entry{file("f", 3*cs, cs)}},
		{Name: "e", Root: KindFile, ChunkSize: cs, Entries: []Entry{file("e", 0, cs)}},
		dirManifest(cs, file("f", 35*cs, cs)),  // depth 1 under smallLayout
		dirManifest(cs, file("f", 500*cs, cs)), // depth 2 under smallLayout
	}
	var out [][]Block
	for _, m := range manifests {
		_, blocks, err := encodeWith(m, lay)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, blocks)
	}
	return out
}

// decodeErrorKnown reports whether err is one of the documented outcomes.
func decodeErrorKnown(err error) bool {
	return errors.Is(err, ErrInvalid) || errors.Is(err, ErrNotManifest) ||
		errors.Is(err, ErrUnsupportedVersion) || errors.Is(err, errNotFound)
}

// FuzzDecodeBlock feeds arbitrary bytes as a root block (under their own
// CID, so verification passes). Decoding must not panic, must fail only with
// documented errors, and whatever decodes must re-encode to the same bytes.
func FuzzDecodeBlock(f *testing.F) {
	for _, blocks := range fuzzSeeds(f, smallLayout) {
		for _, b := range blocks {
			f.Add(b.Data) // roots decode; index and leaf blocks must be refused as roots
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s := blockStore{}
		root := rehash(s, data)
		m, err := Decode(context.Background(), root, s.get)
		if err != nil {
			if !decodeErrorKnown(err) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		again, blocks, err := Encode(m)
		if err != nil || !again.Equals(root) || !bytes.Equal(blocks[0].Data, data) {
			t.Fatalf("decoded manifest re-encodes differently: %v", err)
		}
	})
}

// frameBlocks packs blocks as uvarint length + bytes, root first.
func frameBlocks(blocks []Block) []byte {
	var out []byte
	for _, b := range blocks {
		out = binary.AppendUvarint(out, uint64(len(b.Data)))
		out = append(out, b.Data...)
	}
	return out
}

// unframe is the inverse of frameBlocks; the first block is the root.
func unframe(data []byte) (blockStore, []byte) {
	s := blockStore{}
	var root []byte
	for len(data) > 0 {
		n, k := binary.Uvarint(data)
		if k <= 0 || n > uint64(len(data)-k) {
			break
		}
		b := data[k : k+int(n)]
		data = data[k+int(n):]
		rehash(s, b)
		if root == nil {
			root = b
		}
	}
	return s, root
}

// FuzzDecodeTree feeds a whole set of blocks (1 KiB layout, so trees with
// index levels stay small), exercising leaf and index parsing and entries
// that straddle leaves. Round trip as in FuzzDecodeBlock.
func FuzzDecodeTree(f *testing.F) {
	for _, blocks := range fuzzSeeds(f, smallLayout) {
		f.Add(frameBlocks(blocks))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, rootData := unframe(data)
		if rootData == nil {
			return
		}
		root := blockCID(rootData)
		m, err := decodeWith(context.Background(), root, s.get, smallLayout)
		if err != nil {
			if !decodeErrorKnown(err) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		again, _, err := encodeWith(m, smallLayout)
		if err != nil || !again.Equals(root) {
			t.Fatalf("decoded manifest re-encodes differently: %v", err)
		}
	})
}

// FuzzDecodeStream fuzzes the entry stream and the root header fields while
// the harness cuts the stream into leaves and builds a well-formed tree over
// them (1 KiB layout), so that mutations reach the entry parser and the
// leaf boundaries instead of failing block verification.
func FuzzDecodeStream(f *testing.F) {
	for _, m := range []*Manifest{goldenManifest(), treeManifest(), dirManifest(cs, file("f", 35*cs, cs)),
		{Name: "e", Root: KindFile, ChunkSize: cs, Entries: []Entry{file("e", 0, cs)}}} {
		f.Add(m.Name, uint8(m.Root), m.ChunkSize, uint64(len(m.Entries)), uint64(m.TotalSize()), uint64(m.NumChunks()), rawStream(m))
	}
	f.Fuzz(func(t *testing.T, name string, root uint8, chunkSize uint32, entries, total, chunks uint64, stream []byte) {
		h := rootHeader{name: name, root: Kind(root), chunkSize: uint64(chunkSize), entries: entries, totalSize: total, chunks: chunks}
		if len(name) > MaxComponentLen {
			return
		}
		w := newLeafWriter(smallLayout)
		write(w, stream)
		c, blocks := assemble(&h, w, smallLayout)
		m, err := decodeWith(context.Background(), c, storeOf(blocks).get, smallLayout)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		again, _, err := encodeWith(m, smallLayout)
		if err != nil || !again.Equals(c) {
			t.Fatalf("decoded manifest re-encodes differently: %v", err)
		}
	})
}
