package manifest

import "io"

// leafIter walks the block tree depth first and returns leaf payloads in
// stream order. It holds one block per level, so memory is bounded by
// MaxDepth blocks, and it checks every block against the one shape the
// stream length allows.
type leafIter struct {
	f         *fetcher
	counts    []int64 // blocks per level, leaves first (layout.shape)
	streamLen int64
	stack     []frame
}

// frame is a block whose children are still to be visited.
type frame struct {
	level    int    // level of the children (0: leaves)
	first    int64  // index on that level of the next child
	children []byte // digests of the children not yet visited
}

func newLeafIter(f *fetcher, counts []int64, streamLen int64, rootBody []byte) *leafIter {
	top := frame{level: len(counts) - 1, children: rootBody}
	return &leafIter{f: f, counts: counts, streamLen: streamLen, stack: []frame{top}}
}

func (it *leafIter) next() ([]byte, error) {
	for len(it.stack) > 0 {
		top := &it.stack[len(it.stack)-1]
		if len(top.children) == 0 {
			it.stack = it.stack[:len(it.stack)-1]
			continue
		}
		c := childCID(top.children[:digestLen])
		level, idx := top.level, top.first
		top.children, top.first = top.children[digestLen:], top.first+1
		data, err := it.f.fetch(c)
		if err != nil {
			return nil, err
		}
		if level == 0 {
			return parseSub(data, typeLeaf, it.f.lay.leafLen(it.streamLen, idx))
		}
		fan := it.f.lay.fanout()
		n := min(fan, it.counts[level-1]-idx*fan)
		body, err := parseSub(data, typeIndex, n*digestLen)
		if err != nil {
			return nil, err
		}
		it.stack = append(it.stack, frame{level: level - 1, first: idx * fan, children: body})
	}
	return nil, io.EOF
}
