package manifest

import "github.com/swarm-project/swarm/chunker"

// Every block starts with the magic, the version byte and a block type.
const (
	magic     = "SWMF"
	headerLen = len(magic) + 2
)

// Block types.
const (
	typeRoot  byte = 1
	typeIndex byte = 2
	typeLeaf  byte = 3
)

// digestLen is the size of one child reference in root and index blocks: the
// BLAKE3-256 digest of the child block, whose CID is CIDv1(Codec, digest).
const digestLen = chunker.DigestSize

// rootReserve is the space a root block keeps for its header; the largest
// possible root header is under 300 bytes.
const rootReserve = 512

// layout fixes the block size. The format uses MaxBlockSize; tests use
// small blocks to reach several index levels with little data.
type layout struct {
	blockSize int
}

var defaultLayout = layout{blockSize: MaxBlockSize}

// leafPayload is the number of stream bytes in every leaf but the last.
func (l layout) leafPayload() int64 { return int64(l.blockSize - headerLen) }

// fanout is the most children a root or index block lists.
func (l layout) fanout() int64 { return int64((l.blockSize - rootReserve) / digestLen) }

// shape gives the number of blocks on each level of the tree holding a
// stream of n > 0 bytes: counts[0] leaves, counts[k] index blocks listing
// the counts[k-1] blocks below, up to the level the root lists (at most
// fanout blocks). The depth of the tree is len(counts).
func (l layout) shape(n int64) []int64 {
	counts := []int64{ceilDiv(n, l.leafPayload())}
	for counts[len(counts)-1] > l.fanout() {
		counts = append(counts, ceilDiv(counts[len(counts)-1], l.fanout()))
	}
	return counts
}

// leafLen is the payload length of leaf i of a stream of n bytes.
func (l layout) leafLen(n, i int64) int64 {
	return min(l.leafPayload(), n-i*l.leafPayload())
}

func ceilDiv(a, b int64) int64 { return (a + b - 1) / b }

// appendHeader appends the block header of the given type.
func appendHeader(b []byte, typ byte) []byte {
	b = append(b, magic...)
	return append(b, Version, typ)
}
