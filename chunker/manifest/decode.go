package manifest

import (
	"context"
	"fmt"

	cid "github.com/ipfs/go-cid"
	"github.com/swarm-project/swarm/chunker"
)

// Decode reads the manifest whose root block is named root. It fetches
// blocks one at a time through get, verifies each against its CID (a
// mismatch is an error wrapping chunker.ErrHashMismatch, so the caller can
// try another source), parses them, and validates the result with the same
// rules as Encode. A root CID of another codec, or a root block without the
// magic, is ErrNotManifest; anything malformed is an *InvalidError.
//
// Allocations are sized by bytes actually received, never by counts read
// from the wire beyond the hard caps.
func Decode(ctx context.Context, root cid.Cid, get func(ctx context.Context, c cid.Cid) ([]byte, error)) (*Manifest, error) {
	return decodeWith(ctx, root, get, defaultLayout)
}

func decodeWith(ctx context.Context, root cid.Cid, get func(context.Context, cid.Cid) ([]byte, error), lay layout) (*Manifest, error) {
	if !IsManifest(root) {
		return nil, fmt.Errorf("%w: CID %s does not have the manifest codec", ErrNotManifest, root)
	}
	f := &fetcher{ctx: ctx, get: get, lay: lay}
	data, err := f.fetch(root)
	if err != nil {
		return nil, err
	}
	h, body, err := parseRoot(data)
	if err != nil {
		return nil, err
	}
	if err := chunker.ValidateChunkSize(int(h.chunkSize)); err != nil {
		return nil, invalid(err.Error())
	}
	s, err := openStream(f, &h, body, len(data)-len(body))
	if err != nil {
		return nil, err
	}
	m := &Manifest{Name: h.name, Root: h.root, ChunkSize: uint32(h.chunkSize)}
	if err := readEntries(m, &h, s); err != nil {
		return nil, err
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return m, nil
}

// openStream checks that the root body has the one form the header allows
// (inline stream, or the digests of the top level of the minimal tree) and
// returns the entry stream.
func openStream(f *fetcher, h *rootHeader, body []byte, headLen int) (*stream, error) {
	n := int64(h.streamLen)
	s := &stream{left: n}
	fitsInline := int64(headLen)+n <= int64(f.lay.blockSize)
	if h.depth == 0 {
		if int64(len(body)) != n {
			return nil, invalid("inline stream is " + itoa(uint64(len(body))) + " bytes, header says " + itoa(h.streamLen))
		}
		s.buf = body
		s.next = func() ([]byte, error) { return nil, errStreamTruncated }
		return s, nil
	}
	if fitsInline {
		return nil, invalid("stream small enough to be inline is split into blocks")
	}
	counts := f.lay.shape(n)
	if uint64(len(counts)) != h.depth {
		return nil, invalid("depth " + itoa(h.depth) + ", want " + itoa(uint64(len(counts))))
	}
	if int64(len(body)) != counts[len(counts)-1]*digestLen {
		return nil, invalid("root lists " + itoa(uint64(len(body))) + " bytes of digests, want " + itoa(uint64(counts[len(counts)-1]*digestLen)))
	}
	s.next = newLeafIter(f, counts, n, body).next
	return s, nil
}

// readEntries parses exactly h.entries entries, checks the totals the
// header declares, and checks that nothing follows.
func readEntries(m *Manifest, h *rootHeader, s *stream) error {
	r := entryReader{s: s, chunkSize: int(h.chunkSize)}
	m.Entries = make([]Entry, 0, min(h.entries, 1<<16)) // grows as entries actually arrive
	var total, chunks uint64
	for range h.entries {
		e, err := r.next()
		if err != nil {
			return err
		}
		total += uint64(e.Size)
		chunks += uint64(len(e.Chunks))
		if total > h.totalSize || chunks > h.chunks {
			return invalidPath(e.Path, "more bytes or chunks than the root header declares")
		}
		m.Entries = append(m.Entries, e)
	}
	if s.left != 0 {
		return invalid(itoa(uint64(s.left)) + " trailing bytes after the last entry")
	}
	if total != h.totalSize || chunks != h.chunks {
		return invalid("root header totals do not match the entries")
	}
	return nil
}
