package wire

import (
	"errors"
	"fmt"
)

// Sentinel causes of a parse failure; match them with errors.Is.
var (
	ErrTruncated   = errors.New("wire: truncated packet")
	ErrTrailing    = errors.New("wire: trailing bytes after packet")
	ErrTooLarge    = errors.New("wire: field or packet over its cap")
	ErrInvalid     = errors.New("wire: invalid field value")
	ErrUnknownType = errors.New("wire: unknown packet type")
	ErrWrongType   = errors.New("wire: packet of another type")
)

// ParseError says which field of which packet type failed to parse.
type ParseError struct {
	Type  Type
	Field string
	Err   error
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("%v (%v packet, field %s)", e.Err, e.Type, e.Field)
}

// Unwrap returns the sentinel cause.
func (e *ParseError) Unwrap() error { return e.Err }

func perr(t Type, field string, err error) error {
	return &ParseError{Type: t, Field: field, Err: err}
}
