package store

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/dgraph-io/badger/v4"
	"github.com/ipfs/go-cid"
	"github.com/swarm-project/swarm/catalog"
	"github.com/swarm-project/swarm/node/store/blobstore"
)

var _ catalog.Store = (*Store)(nil)

// Store is catalog.Store on Badger. It is safe for concurrent use.
type Store struct {
	dir   string
	log   *slog.Logger
	db    *badger.DB
	blobs *blobstore.Store

	mu     sync.RWMutex // held shared by every call, exclusively by Close
	closed bool

	journal *journalWriter
	warned  sync.Map // in-place files (path, size and mtime as added) whose changed content was reported
}

// Open opens (creating if needed) the index in dir/index and the blob store
// in dir/blobs. If another process or another open Store holds the repo,
// the error wraps ErrLocked; an index of another schema version yields
// ErrSchema. A nil log discards Badger's messages.
func Open(dir string, log *slog.Logger) (*Store, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	indexDir := filepath.Join(dir, "index")
	blobDir := filepath.Join(dir, "blobs")
	for _, d := range []string{indexDir, blobDir} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
	}
	db, err := badger.Open(badgerOptions(indexDir, log))
	if err != nil {
		return nil, openError(dir, indexDir, err)
	}
	if err := checkSchema(db); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: %s: %w", indexDir, err)
	}
	s := &Store{dir: dir, log: log, db: db, blobs: blobstore.New(blobDir, log)}
	s.journal = startJournalWriter(s)
	return s, nil
}

// openError turns Badger's directory-lock failure (which it reports only as
// text) into ErrLocked, naming the process that holds the lock if known.
func openError(dir, indexDir string, err error) error {
	if !strings.Contains(err.Error(), "Another process is using this Badger database") {
		return fmt.Errorf("store: opening index %s: %w", indexDir, err)
	}
	le := &LockedError{Dir: dir}
	if b, rerr := os.ReadFile(filepath.Join(indexDir, "LOCK")); rerr == nil {
		if pid, perr := strconv.Atoi(strings.TrimSpace(string(b))); perr == nil {
			le.PID = pid
		}
	}
	return le
}

// Close stops the journal writer and closes the index. Later calls return
// ErrClosed; closing again returns nil.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	s.journal.stop()
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("store: closing index: %w", err)
	}
	return nil
}

// acquire starts a call: it fails if ctx is done or the store is closed,
// and otherwise holds the shared lock until the caller runs s.mu.RUnlock.
func (s *Store) acquire(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return ErrClosed
	}
	return nil
}

// BlobPath is where the blob store keeps (or would keep) block c. Tests use
// it to damage a block on disk.
func (s *Store) BlobPath(c cid.Cid) string { return s.blobs.Path(c) }
