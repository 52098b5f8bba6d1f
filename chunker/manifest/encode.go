package manifest

import (
	cid "github.com/ipfs/go-cid"
)

// Encode validates m, which must already be in canonical order (see Sort),
// and returns its root CID and every block of its encoding: the root first,
// then index blocks level by level from the top, then leaves in stream
// order. Each block is at most MaxBlockSize bytes. The encoding is a pure
// function of m.
func Encode(m *Manifest) (cid.Cid, []Block, error) {
	return encodeWith(m, defaultLayout)
}

func encodeWith(m *Manifest, lay layout) (cid.Cid, []Block, error) {
	if err := m.Validate(); err != nil {
		return cid.Undef, nil, err
	}
	w := newLeafWriter(lay)
	if err := writeEntries(w, m); err != nil {
		return cid.Undef, nil, err
	}
	h := rootHeader{
		name:      m.Name,
		root:      m.Root,
		chunkSize: uint64(m.ChunkSize),
		entries:   uint64(len(m.Entries)),
		totalSize: uint64(m.TotalSize()),
		chunks:    uint64(m.NumChunks()),
	}
	root, blocks := assemble(&h, w, lay)
	return root, blocks, nil
}

// assemble builds the root block around the stream in w: inline if header
// and stream fit in one block, else over the leaves and the minimal index
// tree. It sets the stream length and depth in h.
func assemble(h *rootHeader, w *leafWriter, lay layout) (cid.Cid, []Block) {
	h.streamLen = uint64(w.total)
	if len(w.leaves) == 0 {
		root := h.append(nil)
		if len(root)+len(w.payload()) <= lay.blockSize {
			root = append(root, w.payload()...)
			b := Block{CID: blockCID(root), Data: root}
			return b.CID, []Block{b}
		}
	}
	leaves := w.finish()
	index, top := buildIndex(leaves, lay)
	h.depth = uint64(len(index) + 1)
	root := h.append(nil)
	for _, b := range top {
		root = append(root, digestOf(b.CID)...)
	}
	rb := Block{CID: blockCID(root), Data: root}
	blocks := make([]Block, 0, 1+len(index)+len(leaves))
	blocks = append(append(append(blocks, rb), flatten(index)...), leaves...)
	return rb.CID, blocks
}

// buildIndex groups blocks into index blocks of at most fanout children,
// level by level, until the root can list the top level. It returns the
// index levels from the top down and the blocks the root lists.
func buildIndex(leaves []Block, lay layout) (levels [][]Block, top []Block) {
	nodes := leaves
	fan := int(lay.fanout())
	for len(nodes) > fan {
		var next []Block
		for i := 0; i < len(nodes); i += fan {
			data := appendHeader(make([]byte, 0, headerLen+fan*digestLen), typeIndex)
			for _, child := range nodes[i:min(i+fan, len(nodes))] {
				data = append(data, digestOf(child.CID)...)
			}
			next = append(next, Block{CID: blockCID(data), Data: data})
		}
		levels = append([][]Block{next}, levels...)
		nodes = next
	}
	return levels, nodes
}

func flatten(levels [][]Block) []Block {
	var out []Block
	for _, l := range levels {
		out = append(out, l...)
	}
	return out
}
