package manifest

import (
	"errors"
	"strconv"
)

var (
	// ErrNotManifest reports a CID whose codec is not Codec, or a root
	// block that does not start with the manifest magic.
	ErrNotManifest = errors.New("manifest: not a manifest")
	// ErrInvalid reports a malformed or hostile manifest. It is returned
	// inside an *InvalidError.
	ErrInvalid = errors.New("manifest: invalid")
	// ErrUnsupportedVersion reports a manifest block of a version this
	// package does not read. It is returned wrapped, and is not ErrInvalid:
	// the manifest may be fine for newer software.
	ErrUnsupportedVersion = errors.New("manifest: unsupported version")
)

// InvalidError says what is wrong with a manifest and, when it concerns one
// entry, which path. errors.Is(err, ErrInvalid) holds for it.
type InvalidError struct {
	Path   string // the entry concerned, or "" for the manifest as a whole
	Reason string
}

func (e *InvalidError) Error() string {
	if e.Path == "" {
		return "manifest: invalid: " + e.Reason
	}
	return "manifest: invalid: " + strconv.Quote(e.Path) + ": " + e.Reason
}

// Unwrap returns ErrInvalid.
func (e *InvalidError) Unwrap() error { return ErrInvalid }

func invalid(reason string) error { return &InvalidError{Reason: reason} }

func invalidPath(path, reason string) error { return &InvalidError{Path: path, Reason: reason} }

func itoa(v uint64) string { return strconv.FormatUint(v, 10) }
