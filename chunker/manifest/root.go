package manifest

import (
	"encoding/binary"
	"fmt"

	"github.com/swarm-project/swarm/chunker"
)

// rootHeader holds the fields of a root block before its body. The counts
// repeat what the stream says so that a client can show the size of a tree
// from the root block alone; the decoder checks they agree.
type rootHeader struct {
	name      string
	root      Kind
	chunkSize uint64
	entries   uint64 // number of entries in the stream
	totalSize uint64 // sum of file sizes
	chunks    uint64 // number of chunk CIDs
	streamLen uint64 // length of the entry stream in bytes
	depth     uint64 // 0: stream inline; else levels of blocks below the root
}

func (h *rootHeader) append(b []byte) []byte {
	b = appendHeader(b, typeRoot)
	b = binary.AppendUvarint(b, uint64(len(h.name)))
	b = append(b, h.name...)
	b = append(b, byte(h.root))
	for _, v := range [...]uint64{h.chunkSize, h.entries, h.totalSize, h.chunks, h.streamLen, h.depth} {
		b = binary.AppendUvarint(b, v)
	}
	return b
}

// parseRoot parses a root block into its header and body. A block without
// the magic is ErrNotManifest; one of another version ErrUnsupportedVersion.
func parseRoot(data []byte) (rootHeader, []byte, error) {
	var h rootHeader
	if len(data) < headerLen || string(data[:len(magic)]) != magic {
		return h, nil, fmt.Errorf("%w: root block lacks the manifest magic", ErrNotManifest)
	}
	if data[len(magic)] != Version {
		return h, nil, fmt.Errorf("%w: %d", ErrUnsupportedVersion, data[len(magic)])
	}
	if data[len(magic)+1] != typeRoot {
		return h, nil, invalid("root CID names a block of type " + itoa(uint64(data[len(magic)+1])))
	}
	c := cursor{b: data[headerLen:]}
	nameLen := c.uvarint("name length", MaxComponentLen)
	h.name = string(c.bytes("name", nameLen))
	h.root = Kind(c.byte("root kind"))
	h.chunkSize = c.uvarint("chunk size", chunker.MaxChunkSize)
	h.entries = c.uvarint("entry count", MaxEntries)
	h.totalSize = c.uvarint("total size", MaxTotalSize)
	h.chunks = c.uvarint("chunk count", MaxStreamSize/multihashLen)
	h.streamLen = c.uvarint("stream length", MaxStreamSize)
	h.depth = c.uvarint("depth", MaxDepth)
	if c.err != nil {
		return h, nil, c.err
	}
	return h, c.b, nil
}

// cursor reads fields from one block. The first problem sticks in err and
// turns every later read into a no-op, so a parser checks err once.
type cursor struct {
	b   []byte
	err error
}

func (c *cursor) fail(field, reason string) {
	if c.err == nil {
		c.err = invalid(field + ": " + reason)
	}
	c.b = nil
}

// uvarint reads a canonical uvarint no larger than max.
func (c *cursor) uvarint(field string, max uint64) uint64 {
	v, n, reason := uvarint(c.b)
	if reason == "" && v > max {
		reason = "exceeds " + itoa(max)
	}
	if reason != "" {
		c.fail(field, reason)
		return 0
	}
	c.b = c.b[n:]
	return v
}

func (c *cursor) byte(field string) byte {
	if len(c.b) < 1 {
		c.fail(field, reasonTruncated)
		return 0
	}
	v := c.b[0]
	c.b = c.b[1:]
	return v
}

// bytes returns the next n bytes (n is already capped by the caller).
func (c *cursor) bytes(field string, n uint64) []byte {
	if uint64(len(c.b)) < n {
		c.fail(field, reasonTruncated)
		return nil
	}
	v := c.b[:n]
	c.b = c.b[n:]
	return v
}
