package manifest

import (
	"sort"
	"strings"

	cid "github.com/ipfs/go-cid"
	"github.com/swarm-project/swarm/chunker"
)

// Validate checks every rule of the format that does not depend on the
// encoding: the name, the chunk size, the root kind, each entry (path, kind,
// mode, size, chunk count and chunk CIDs), canonical order without
// duplicates, that every parent is a directory entry, and the hard caps.
// The error is an *InvalidError.
func (m *Manifest) Validate() error {
	if err := validateName(m.Name); err != nil {
		return err
	}
	if err := chunker.ValidateChunkSize(int(m.ChunkSize)); err != nil {
		return invalid(err.Error())
	}
	if err := m.validateRoot(); err != nil {
		return err
	}
	if len(m.Entries) > MaxEntries {
		return invalid("more than " + itoa(MaxEntries) + " entries")
	}
	var total, pathBytes int64
	lastParent := "" // the last parent found; siblings usually follow each other
	for i := range m.Entries {
		e := &m.Entries[i]
		if err := m.validateEntry(e); err != nil {
			return err
		}
		if err := validatePlace(m.Entries, i, &lastParent); err != nil {
			return err
		}
		if total += e.Size; total > MaxTotalSize {
			return invalidPath(e.Path, "total size exceeds "+itoa(MaxTotalSize))
		}
		if pathBytes += int64(len(e.Path)); pathBytes > MaxPathBytes {
			return invalidPath(e.Path, "total path bytes exceed "+itoa(MaxPathBytes))
		}
	}
	return nil
}

func (m *Manifest) validateRoot() error {
	switch m.Root {
	case KindDir:
		return nil
	case KindFile:
		if len(m.Entries) != 1 || m.Entries[0].Kind != KindFile || m.Entries[0].Path != m.Name {
			return invalid("a file root must hold exactly one file entry whose path is the name")
		}
		return nil
	}
	return invalid("unknown root kind " + m.Root.String())
}

// validateEntry checks one entry on its own.
func (m *Manifest) validateEntry(e *Entry) error {
	if err := ValidatePath(e.Path); err != nil {
		return err
	}
	if e.Mode > 0o777 {
		return invalidPath(e.Path, "mode has bits other than 0o777")
	}
	switch e.Kind {
	case KindDir:
		if e.Size != 0 || len(e.Chunks) != 0 {
			return invalidPath(e.Path, "directory with a size or chunks")
		}
		return nil
	case KindFile:
		if e.Size < 0 || e.Size > MaxTotalSize {
			return invalidPath(e.Path, "file size out of range")
		}
		if int64(len(e.Chunks)) != chunker.ChunkCount(e.Size, int(m.ChunkSize)) {
			return invalidPath(e.Path, "chunk count does not match size")
		}
		for _, c := range e.Chunks {
			if !isChunkCID(c) {
				return invalidPath(e.Path, "chunk CID "+c.String()+" is not CIDv1 raw with a 32-byte BLAKE3 or sha2-256 multihash")
			}
		}
		return nil
	}
	return invalidPath(e.Path, "unknown entry kind "+e.Kind.String())
}

// validatePlace checks entry i against the ones before it: strictly after
// its predecessor, and its parent present as a directory. lastParent caches
// the last directory found to be a valid parent.
func validatePlace(entries []Entry, i int, lastParent *string) error {
	p := entries[i].Path
	if i > 0 {
		switch prev := entries[i-1].Path; {
		case prev == p:
			return invalidPath(p, "duplicate path")
		case prev > p:
			return invalidPath(p, "entries not sorted by path")
		}
	}
	slash := strings.LastIndexByte(p, '/')
	if slash < 0 {
		return nil
	}
	parent := p[:slash]
	if parent == *lastParent {
		return nil
	}
	j := sort.Search(i, func(k int) bool { return entries[k].Path >= parent })
	if j == i || entries[j].Path != parent {
		return invalidPath(p, "parent directory "+quote(parent)+" is not an entry")
	}
	if entries[j].Kind != KindDir {
		return invalidPath(p, "parent "+quote(parent)+" is not a directory")
	}
	*lastParent = parent
	return nil
}

// chunkCIDPrefix is the binary form of a CIDv1 with the raw codec.
const chunkCIDPrefix = "\x01\x55"

// isChunkCID reports whether c is CIDv1, raw codec, with a 32-byte BLAKE3 or
// sha2-256 multihash: the only chunk names v1 can carry.
func isChunkCID(c cid.Cid) bool {
	s := c.KeyString()
	return len(s) == len(chunkCIDPrefix)+multihashLen &&
		s[:2] == chunkCIDPrefix && isChunkHash(s[2], s[3])
}

// multihashLen is the length of a chunk multihash: code, length, digest.
const multihashLen = 2 + chunker.DigestSize

// Multihash codes for chunk names.
const (
	hashBLAKE3 = 0x1e
	hashSHA256 = 0x12
)

func isChunkHash(code, length byte) bool {
	return (code == hashBLAKE3 || code == hashSHA256) && length == chunker.DigestSize
}
