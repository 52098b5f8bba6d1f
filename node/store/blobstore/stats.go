package blobstore

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/ipfs/go-cid"
)

// Stats returns the number of blocks and their total size. The first call
// walks the directory; later calls use counters kept up to date by Put and
// by removals of corrupted blocks.
func (s *Store) Stats() (blocks, bytes int64, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.counted {
		n, b, err := s.walk()
		if err != nil {
			return 0, 0, err
		}
		s.n, s.bytes, s.counted = n, b, true
	}
	return s.n, s.bytes, nil
}

// walk counts the block files under the store's directory, skipping
// temporary files and anything not named by a CID.
func (s *Store) walk() (n, bytes int64, err error) {
	if _, err := os.Stat(s.dir); errors.Is(err, fs.ErrNotExist) {
		return 0, 0, nil // nothing stored yet
	}
	err = filepath.WalkDir(s.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if !d.Type().IsRegular() || strings.HasPrefix(name, tempPrefix) {
			return nil
		}
		if _, err := cid.Decode(name); err != nil {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		n, bytes = n+1, bytes+fi.Size()
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("blobstore: counting blocks: %w", err)
	}
	return n, bytes, nil
}
