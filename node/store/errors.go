package store

import (
	"errors"
	"os"
	"strconv"

	"github.com/swarm-project/swarm/node/store/storecore"
)

var (
	// ErrLocked reports that another process (or another Store in this
	// process) has the repo open. It is returned wrapped with the repo path.
	ErrLocked = errors.New("store: another swarm process (a daemon?) is using the repo")
	// ErrSchema reports an index written under a key schema this version of
	// swarm does not read. It is returned wrapped with both versions.
	ErrSchema = errors.New("store: unsupported index schema")
	// ErrCorrupt reports an index value that does not decode.
	ErrCorrupt = errors.New("store: corrupted index value")
	// ErrClosed is returned by every method after Close.
	ErrClosed = storecore.ErrClosed
	// ErrInvalid reports an argument the store refuses to record.
	ErrInvalid = storecore.ErrInvalid
)

// LockedError is ErrLocked with the repo and, when the lock file names it,
// the process holding it.
type LockedError struct {
	Dir string
	PID int // 0 if unknown
}

func (e *LockedError) Error() string {
	switch {
	case e.PID == 0:
		return ErrLocked.Error() + ": " + e.Dir
	case e.PID == os.Getpid():
		return ErrLocked.Error() + ": " + e.Dir + " (this process already has it open)"
	}
	return ErrLocked.Error() + ": " + e.Dir + " (pid " + strconv.Itoa(e.PID) + ")"
}

func (e *LockedError) Unwrap() error { return ErrLocked }
