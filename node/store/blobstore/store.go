package blobstore

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"

	"github.com/ipfs/go-cid"
	"github.com/swarm-project/swarm/catalog"
	"github.com/swarm-project/swarm/chunker"
)

// MaxBlockSize caps a block. A file in the store larger than this is treated
// as corrupted rather than read into memory.
const MaxBlockSize = 4 * chunker.MaxChunkSize

// tempPrefix starts the names of files being written.
const tempPrefix = ".put-"

// Store is a directory of blocks. It is safe for concurrent use. It holds
// no open files, so it needs no Close.
type Store struct {
	dir string
	log *slog.Logger

	mu      sync.Mutex // serialises renames and removals with the counters
	counted bool       // n and bytes are valid (set by the first Stats)
	n       int64
	bytes   int64
}

// New returns the store kept in dir. Nothing is created until a block is put.
func New(dir string, log *slog.Logger) *Store {
	return &Store{dir: dir, log: log}
}

// Path is where the block c is (or would be) kept.
func (s *Store) Path(c cid.Cid) string {
	name := c.String()
	return filepath.Join(s.dir, shard(name), name)
}

func shard(name string) string {
	if len(name) < 3 {
		return "_"
	}
	return name[len(name)-3 : len(name)-1]
}

// Has reports whether a file for c exists (without verifying it).
func (s *Store) Has(c cid.Cid) (bool, error) {
	_, err := os.Lstat(s.Path(c))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// Get returns the verified bytes of block c, or an error wrapping
// catalog.ErrNotFound. A block whose bytes no longer match c is logged,
// removed, and reported with an error wrapping chunker.ErrHashMismatch.
func (s *Store) Get(c cid.Cid) ([]byte, error) {
	path := s.Path(c)
	data, fi, err := readFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: block %s", catalog.ErrNotFound, c)
	}
	if err != nil {
		return nil, fmt.Errorf("blobstore: %w", err)
	}
	if err := s.verify(c, data); err != nil {
		s.removeCorrupt(path, fi)
		return nil, fmt.Errorf("blobstore: %s was corrupted on disk and has been removed: %w", path, err)
	}
	return data, nil
}

func (s *Store) verify(c cid.Cid, data []byte) error {
	if data == nil {
		return fmt.Errorf("%w: %s: file larger than %d bytes", chunker.ErrHashMismatch, c, MaxBlockSize)
	}
	return chunker.Verify(c, data)
}

// readFile reads a whole block file and returns its FileInfo, to remove
// exactly that file if it is corrupted. data is nil (and err nil) if the
// file is larger than MaxBlockSize.
func readFile(path string) ([]byte, fs.FileInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if fi.Size() > MaxBlockSize {
		return nil, fi, nil
	}
	data := make([]byte, fi.Size())
	if _, err := io.ReadFull(f, data); err != nil {
		return nil, nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return data, fi, nil
}

// removeCorrupt removes the file at path if it is still the one that was
// read (a concurrent Put may have replaced it with good bytes).
func (s *Store) removeCorrupt(path string, read fs.FileInfo) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now, err := os.Lstat(path)
	if err != nil || !os.SameFile(now, read) {
		return
	}
	if err := os.Remove(path); err != nil {
		s.log.Error("removing corrupted block", "path", path, "err", err)
		return
	}
	s.log.Error("corrupted block removed from the blob store", "path", path)
	s.count(-1, -now.Size())
}

// count adjusts the counters if they have been computed.
func (s *Store) count(n, bytes int64) {
	if s.counted {
		s.n += n
		s.bytes += bytes
	}
}
