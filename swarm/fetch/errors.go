package fetch

import (
	"errors"
	"fmt"
)

var (
	// ErrNoSources: the download was given nothing to fetch from.
	ErrNoSources = errors.New("no sources to fetch from")
	// ErrUnavailable: chunks remain that no usable source holds.
	ErrUnavailable = errors.New("content unavailable from every source")
	// ErrNotHave is returned (wrapped) by a Source that lacks a block.
	ErrNotHave = errors.New("source does not have the block")
	// ErrDestExists: the destination path already exists; nothing is overwritten.
	ErrDestExists = errors.New("destination already exists")
	// ErrNoSpace: the destination's filesystem cannot hold the download.
	ErrNoSpace = errors.New("not enough free space")
)

// DestError is a local filesystem failure at the destination. The partial
// data and the journal are kept, so the same command resumes.
type DestError struct {
	Path string
	Err  error
}

func (e *DestError) Error() string { return fmt.Sprintf("destination %s: %v", e.Path, e.Err) }
func (e *DestError) Unwrap() error { return e.Err }

// UnavailableError names chunks that no usable source could provide.
type UnavailableError struct {
	Missing int    // chunks not fetched
	Reasons string // why sources were dropped, if any
}

func (e *UnavailableError) Error() string {
	msg := fmt.Sprintf("%d chunks could not be fetched from any source", e.Missing)
	if e.Reasons != "" {
		msg += " (" + e.Reasons + ")"
	}
	return msg
}
func (e *UnavailableError) Unwrap() error { return ErrUnavailable }
