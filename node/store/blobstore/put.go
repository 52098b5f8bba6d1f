package blobstore

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/ipfs/go-cid"
	"github.com/swarm-project/swarm/chunker"
)

// Put stores data as block c after verifying it (an error wrapping
// chunker.ErrHashMismatch if it does not match). Putting a block that is
// already stored rewrites it, which repairs a copy damaged on disk. The block
// is durable when Put returns.
func (s *Store) Put(c cid.Cid, data []byte) error {
	if len(data) > MaxBlockSize {
		return fmt.Errorf("blobstore: block %s is %d bytes, more than %d", c, len(data), MaxBlockSize)
	}
	if err := chunker.Verify(c, data); err != nil {
		return fmt.Errorf("blobstore: refusing block: %w", err)
	}
	path := s.Path(c)
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("blobstore: %w", err)
	}
	tmp, err := writeTemp(dir, data)
	if err != nil {
		return fmt.Errorf("blobstore: writing block %s: %w", c, err)
	}
	if err := s.install(tmp, path, int64(len(data))); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("blobstore: storing block %s: %w", c, err)
	}
	return syncDir(dir)
}

// writeTemp writes data to a new temporary file in dir and syncs it.
func writeTemp(dir string, data []byte) (string, error) {
	f, err := os.CreateTemp(dir, tempPrefix+"*")
	if err != nil {
		return "", err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// install renames tmp over path and updates the counters.
func (s *Store) install(tmp, path string, size int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, err := os.Lstat(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	if old == nil {
		s.count(1, size)
	} else {
		s.count(0, size-old.Size())
	}
	return nil
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("blobstore: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("blobstore: syncing %s: %w", dir, err)
	}
	return nil
}
