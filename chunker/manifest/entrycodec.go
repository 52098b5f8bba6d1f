package manifest

import (
	"encoding/binary"

	cid "github.com/ipfs/go-cid"
	"github.com/swarm-project/swarm/chunker"
)

// writeEntries serialises the entries into the stream. Per entry:
//
//	shared  uvarint  bytes shared with the previous path (longest common prefix)
//	suffix  uvarint length, then the bytes of the path after the shared prefix
//	kind    byte
//	mode    uvarint
//	size    uvarint (files only)
//	chunks  ChunkCount(size, chunkSize) multihashes, 34 bytes each (files only)
func writeEntries(w *leafWriter, m *Manifest) error {
	var head []byte
	prev := ""
	for i := range m.Entries {
		e := &m.Entries[i]
		head = appendEntryHead(head[:0], prev, e)
		write(w, head)
		for _, c := range e.Chunks {
			write(w, c.KeyString()[len(chunkCIDPrefix):])
		}
		if w.total > MaxStreamSize {
			return invalidPath(e.Path, "manifest stream exceeds "+itoa(MaxStreamSize)+" bytes")
		}
		prev = e.Path
	}
	return nil
}

func appendEntryHead(b []byte, prev string, e *Entry) []byte {
	shared := commonPrefix(prev, e.Path)
	b = binary.AppendUvarint(b, uint64(shared))
	b = binary.AppendUvarint(b, uint64(len(e.Path)-shared))
	b = append(b, e.Path[shared:]...)
	b = append(b, byte(e.Kind))
	b = binary.AppendUvarint(b, uint64(e.Mode))
	if e.Kind == KindFile {
		b = binary.AppendUvarint(b, uint64(e.Size))
	}
	return b
}

func commonPrefix(a, b string) int {
	n := min(len(a), len(b))
	for i := range n {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// entryReader parses entries from the stream, enforcing the encoding rules
// that Validate cannot see (maximal shared prefix) and the caps that protect
// allocations (path length, total path bytes, chunk counts). Validate still
// runs on the result.
type entryReader struct {
	s         *stream
	chunkSize int
	prev      string // path of the last entry read
	count     uint64 // entries read
	pathBytes int64
	suffix    []byte // scratch for path suffixes
}

func (r *entryReader) next() (Entry, error) {
	path, err := r.path()
	if err != nil {
		return Entry{}, withContext(err, "", "entry "+itoa(r.count)+" (after "+quote(r.prev)+"): ")
	}
	r.prev = path
	r.count++
	e, err := r.body(path)
	if err != nil {
		return e, withContext(err, path, "")
	}
	return e, nil
}

// withContext fills in which entry an *InvalidError is about.
func withContext(err error, path, prefix string) error {
	ie, ok := err.(*InvalidError)
	if !ok || ie.Path != "" {
		return err
	}
	return &InvalidError{Path: path, Reason: prefix + ie.Reason}
}

// path reads the shared-prefix length and suffix and rebuilds the path. The
// shared prefix must be exactly the longest common prefix with the previous
// path, and the path must sort strictly after it, so each sorted list of
// paths has one encoding.
func (r *entryReader) path() (string, error) {
	shared, err := r.s.uvarint("shared prefix length", uint64(len(r.prev)))
	if err != nil {
		return "", err
	}
	n, err := r.s.uvarint("suffix length", MaxPathLen-shared)
	if err != nil {
		return "", err
	}
	if n == 0 {
		return "", invalid("empty path suffix")
	}
	if r.pathBytes += int64(shared + n); r.pathBytes > MaxPathBytes {
		return "", invalid("total path bytes exceed " + itoa(MaxPathBytes))
	}
	if uint64(cap(r.suffix)) < n {
		r.suffix = make([]byte, n)
	}
	suffix := r.suffix[:n]
	if err := r.s.read(suffix); err != nil {
		return "", err
	}
	if int(shared) < len(r.prev) && suffix[0] == r.prev[shared] {
		return "", invalid("shared prefix length is not maximal")
	}
	path := r.prev[:shared] + string(suffix)
	if path <= r.prev {
		return "", invalid("path " + quote(path) + " does not sort after the previous one")
	}
	return path, nil
}

// body reads the fields after the path.
func (r *entryReader) body(path string) (Entry, error) {
	e := Entry{Path: path}
	kind, err := r.s.byte()
	if err != nil {
		return e, err
	}
	e.Kind = Kind(kind)
	mode, err := r.s.uvarint("mode", 0o777)
	if err != nil {
		return e, err
	}
	e.Mode = uint32(mode)
	switch e.Kind {
	case KindDir:
		return e, nil
	case KindFile:
	default:
		return e, invalid("unknown entry kind " + e.Kind.String())
	}
	size, err := r.s.uvarint("size", MaxTotalSize)
	if err != nil {
		return e, err
	}
	e.Size = int64(size)
	e.Chunks, err = r.chunks(chunker.ChunkCount(e.Size, r.chunkSize))
	return e, err
}

// chunks reads n chunk multihashes and turns them into raw-codec CIDs.
func (r *entryReader) chunks(n int64) ([]cid.Cid, error) {
	if n == 0 {
		return nil, nil
	}
	if n > r.s.left/multihashLen {
		return nil, invalid("chunk list runs past the end of the stream")
	}
	out := make([]cid.Cid, 0, min(n, 1<<12)) // grows as bytes actually arrive
	var buf [multihashLen]byte
	for range n {
		if err := r.s.read(buf[:]); err != nil {
			return nil, err
		}
		if !isChunkHash(buf[0], buf[1]) {
			return nil, invalid("chunk multihash is not 32-byte BLAKE3 or sha2-256")
		}
		out = append(out, cid.NewCidV1(cid.Raw, buf[:]))
	}
	return out, nil
}
