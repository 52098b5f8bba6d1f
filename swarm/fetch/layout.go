package fetch

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ipfs/go-cid"

	"github.com/swarm-project/swarm/chunker/manifest"
)

// chunkRef locates chunk number i of a download: which entry, where in it.
type chunkRef struct {
	entry  int
	offset int64
	size   int
}

// layout maps a manifest onto the filesystem: a partial path next to the
// destination that receives the data, and the final destination it is
// renamed to when complete.
type layout struct {
	m       *manifest.Manifest
	dest    string // final path
	partial string // where data is written until complete
	refs    []chunkRef
	cids    []cid.Cid
}

func newLayout(m *manifest.Manifest, dest string) (*layout, error) {
	abs, err := filepath.Abs(dest)
	if err != nil {
		return nil, &DestError{Path: dest, Err: err}
	}
	l := &layout{m: m, dest: abs}
	l.partial = filepath.Join(filepath.Dir(abs), "."+filepath.Base(abs)+".swarm-partial")
	cs := int64(m.ChunkSize)
	for ei, e := range m.Entries {
		for ci, c := range e.Chunks {
			off := int64(ci) * cs
			size := cs
			if e.Size-off < size {
				size = e.Size - off
			}
			l.refs = append(l.refs, chunkRef{entry: ei, offset: off, size: int(size)})
			l.cids = append(l.cids, c)
		}
	}
	return l, nil
}

// pathOf returns where entry i is written while the download runs.
func (l *layout) pathOf(i int) string {
	if l.m.Root == manifest.KindFile {
		return l.partial
	}
	return filepath.Join(l.partial, filepath.FromSlash(l.m.Entries[i].Path))
}

// finalPathOf returns where entry i ends up.
func (l *layout) finalPathOf(i int) string {
	if l.m.Root == manifest.KindFile {
		return l.dest
	}
	return filepath.Join(l.dest, filepath.FromSlash(l.m.Entries[i].Path))
}

// prepare creates the partial tree: directories, and every file at its
// final size (sparse). Files already there (a resumed download) keep their
// bytes. Nothing outside l.partial is touched.
func (l *layout) prepare(fresh bool) error {
	if _, err := os.Lstat(l.dest); err == nil {
		return &DestError{Path: l.dest, Err: ErrDestExists}
	}
	if fresh {
		if err := os.RemoveAll(l.partial); err != nil {
			return &DestError{Path: l.partial, Err: err}
		}
	}
	if l.m.Root == manifest.KindDir {
		if err := mkdirNoFollow(l.partial); err != nil {
			return err
		}
	}
	for i, e := range l.m.Entries {
		var err error
		if e.Kind == manifest.KindDir {
			err = mkdirNoFollow(l.pathOf(i))
		} else {
			err = createSized(l.pathOf(i), e.Size)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func mkdirNoFollow(p string) error {
	err := os.Mkdir(p, 0o700)
	if errors.Is(err, fs.ErrExist) {
		fi, lerr := os.Lstat(p)
		if lerr == nil && fi.IsDir() {
			return nil
		}
		err = fmt.Errorf("exists and is not a directory")
	}
	if err != nil {
		return &DestError{Path: p, Err: err}
	}
	return nil
}

// createSized creates (or reopens) a regular file and sets its size. It
// refuses to follow a symlink planted in the partial tree.
func createSized(p string, size int64) error {
	if fi, err := os.Lstat(p); err == nil && !fi.Mode().IsRegular() {
		return &DestError{Path: p, Err: fmt.Errorf("exists and is not a regular file")}
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|noFollow, 0o600)
	if err != nil {
		return &DestError{Path: p, Err: err}
	}
	if err := f.Truncate(size); err != nil {
		f.Close()
		return &DestError{Path: p, Err: err}
	}
	if err := f.Close(); err != nil {
		return &DestError{Path: p, Err: err}
	}
	return nil
}

// writeChunk writes verified chunk i into its file.
func (l *layout) writeChunk(i int, data []byte) error {
	r := l.refs[i]
	p := l.pathOf(r.entry)
	f, err := os.OpenFile(p, os.O_WRONLY|noFollow, 0)
	if err != nil {
		return &DestError{Path: p, Err: err}
	}
	_, werr := f.WriteAt(data, r.offset)
	cerr := f.Close()
	if werr == nil {
		werr = cerr
	}
	if werr != nil {
		return &DestError{Path: p, Err: werr}
	}
	return nil
}

// finish applies modes (deepest first, so a read-only directory does not
// block its children) and renames the partial tree into place.
func (l *layout) finish() error {
	idx := make([]int, len(l.m.Entries))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool {
		return strings.Count(l.m.Entries[idx[a]].Path, "/") > strings.Count(l.m.Entries[idx[b]].Path, "/")
	})
	for _, i := range idx {
		p := l.pathOf(i)
		if err := os.Chmod(p, fs.FileMode(l.m.Entries[i].Mode&0o777)); err != nil {
			return &DestError{Path: p, Err: err}
		}
	}
	if l.m.Root == manifest.KindDir {
		if err := os.Chmod(l.partial, 0o755); err != nil {
			return &DestError{Path: l.partial, Err: err}
		}
	}
	if _, err := os.Lstat(l.dest); err == nil {
		return &DestError{Path: l.dest, Err: ErrDestExists}
	}
	if err := os.Rename(l.partial, l.dest); err != nil {
		return &DestError{Path: l.dest, Err: err}
	}
	return nil
}

// written describes chunks by index as they lie in the partial files.
func (l *layout) written(idx []uint64) []WrittenChunk {
	out := make([]WrittenChunk, len(idx))
	for i, j := range idx {
		r := l.refs[j]
		out[i] = WrittenChunk{Index: j, CID: l.cids[j], Path: l.pathOf(r.entry), Offset: r.offset, Size: r.size}
	}
	return out
}
