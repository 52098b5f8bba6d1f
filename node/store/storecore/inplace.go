package storecore

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"

	"github.com/ipfs/go-cid"
	"github.com/swarm-project/swarm/catalog"
	"github.com/swarm-project/swarm/chunker"
)

// ReadInPlace reads chunk c from the file of an in-place location and
// verifies it. If the file is gone, no longer a regular file, too short,
// or the bytes do not hash to c, the error is a *StaleError (wrapping
// catalog.ErrStale) and the location should be dropped. Other errors
// (permission, I/O) leave the location in doubt: the caller keeps it and
// tries elsewhere.
//
// A file whose size or mtime changed since it was added is still read:
// the hash decides, chunk by chunk. Dropping every chunk of a file at its
// first changed mtime (as before) made `touch`, or an edit of one byte,
// stop a node serving all of it, silently (found by review).
func ReadInPlace(c cid.Cid, loc catalog.Location) ([]byte, error) {
	f, err := os.Open(loc.Path)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return nil, &StaleError{Path: loc.Path, Reason: "file no longer exists"}
	}
	if err != nil {
		return nil, fmt.Errorf("store: chunk %s: %w", c, err)
	}
	defer f.Close()
	if err := checkRegular(f, loc); err != nil {
		return nil, err
	}
	buf := make([]byte, loc.Size)
	n, err := f.ReadAt(buf, loc.Offset)
	if n < len(buf) {
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("store: chunk %s: %w", c, err)
		}
		return nil, &StaleError{Path: loc.Path,
			Reason: fmt.Sprintf("short read: %d of %d bytes at offset %d", n, len(buf), loc.Offset)}
	}
	if err := chunker.Verify(c, buf); err != nil {
		if errors.Is(err, chunker.ErrHashMismatch) {
			return nil, &StaleError{Path: loc.Path,
				Reason: fmt.Sprintf("content at offset %d no longer matches chunk %s", loc.Offset, c)}
		}
		return nil, err
	}
	return buf, nil
}

// checkRegular refuses what is no longer a regular file (a directory, a
// FIFO whose read would block) before reading.
func checkRegular(f *os.File, loc catalog.Location) error {
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return &StaleError{Path: loc.Path, Reason: "no longer a regular file"}
	}
	return nil
}
