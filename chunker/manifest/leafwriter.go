package manifest

// leafWriter builds the entry stream directly inside leaf blocks, so the
// stream is never held twice. A full leaf is closed only when more bytes
// arrive, so that a stream small enough to inline is never hashed as a leaf.
type leafWriter struct {
	lay    layout
	leaves []Block
	cur    []byte // header + payload of the open leaf
	total  int64  // stream bytes written
}

func newLeafWriter(lay layout) *leafWriter {
	w := &leafWriter{lay: lay}
	w.open()
	return w
}

func (w *leafWriter) open() {
	w.cur = appendHeader(nil, typeLeaf) // grows by append: small manifests stay small
}

// write appends s (string or bytes) to the stream.
func write[T string | []byte](w *leafWriter, s T) {
	w.total += int64(len(s))
	for len(s) > 0 {
		if len(w.cur) == w.lay.blockSize {
			w.closeLeaf()
		}
		n := min(len(s), w.lay.blockSize-len(w.cur))
		w.cur = append(w.cur, s[:n]...)
		s = s[n:]
	}
}

func (w *leafWriter) closeLeaf() {
	w.leaves = append(w.leaves, Block{CID: blockCID(w.cur), Data: w.cur})
	w.open()
}

// payload is the stream held in the open leaf: the whole stream if no leaf
// has been closed.
func (w *leafWriter) payload() []byte { return w.cur[headerLen:] }

// finish closes the open leaf and returns all leaves in stream order.
func (w *leafWriter) finish() []Block {
	if len(w.cur) > headerLen {
		w.closeLeaf()
	}
	w.cur = nil
	return w.leaves
}
