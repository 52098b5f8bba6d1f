package manifest

import (
	"slices"
	"strings"

	cid "github.com/ipfs/go-cid"
)

// Codec is the multicodec of every manifest block (root, index and leaf).
// 0x300001 lies in the multicodec private-use range; see the spec for why.
// Chunks use the raw codec (0x55).
const Codec uint64 = 0x300001

// Version is the manifest format version this package reads and writes.
const Version = 1

// MaxBlockSize is the largest manifest block, root included.
const MaxBlockSize = 1 << 20

// Hard caps. A manifest exceeding any of them is invalid; they bound what a
// decoder may be made to allocate.
const (
	MaxComponentLen = 255     // bytes in one path component (and in Name)
	MaxPathLen      = 4096    // bytes in one path
	MaxEntries      = 1 << 24 // entries in one manifest
	MaxPathBytes    = 1 << 30 // sum of the lengths of all paths
	MaxTotalSize    = 1 << 56 // sum of all file sizes (64 PiB)
	MaxStreamSize   = 1 << 36 // bytes in the serialised entry stream
	MaxDepth        = 4       // block levels below the root
)

// Kind says whether an entry is a file or a directory.
type Kind uint8

// Entry kinds. Symlinks and other file types are not part of v1.
const (
	KindFile Kind = 1
	KindDir  Kind = 2
)

func (k Kind) String() string {
	switch k {
	case KindFile:
		return "file"
	case KindDir:
		return "dir"
	}
	return "kind(" + itoa(uint64(k)) + ")"
}

// Entry is one file or directory of the tree.
type Entry struct {
	Path   string    // slash-separated, relative to the root
	Kind   Kind      // KindFile or KindDir
	Mode   uint32    // permission bits only (mode & 0o777)
	Size   int64     // file size; 0 for directories
	Chunks []cid.Cid // files: ChunkCount(Size, ChunkSize) raw-codec CIDs; nil for dirs and empty files
}

// Manifest describes a tree or a single file.
type Manifest struct {
	// Name is the base name of what was added: a single valid path component.
	Name string
	// Root is KindDir when Entries are the contents of a directory (the
	// root itself is implicit), or KindFile when Entries holds exactly one
	// file whose Path equals Name.
	Root Kind
	// ChunkSize is the chunk size every file is cut with.
	ChunkSize uint32
	// Entries are in canonical order (see Sort); every entry's parent
	// directory appears as a KindDir entry.
	Entries []Entry
}

// Block is one encoded manifest block and its CID.
type Block struct {
	CID  cid.Cid
	Data []byte
}

// TotalSize is the sum of the sizes of all files.
func (m *Manifest) TotalSize() int64 {
	var n int64
	for i := range m.Entries {
		n += m.Entries[i].Size
	}
	return n
}

// NumChunks is the number of chunk CIDs listed over all files.
func (m *Manifest) NumChunks() int64 {
	var n int64
	for i := range m.Entries {
		n += int64(len(m.Entries[i].Chunks))
	}
	return n
}

// Sort puts entries in canonical order: bytewise by Path. A parent is a
// prefix of its children's paths, so it sorts before them.
func Sort(entries []Entry) {
	slices.SortFunc(entries, func(a, b Entry) int { return strings.Compare(a.Path, b.Path) })
}

// IsManifest reports whether c names a manifest block (its codec is Codec).
func IsManifest(c cid.Cid) bool {
	return c.Defined() && c.Version() == 1 && c.Type() == Codec
}
