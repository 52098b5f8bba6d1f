package storecore

import (
	"errors"
	"fmt"

	"github.com/swarm-project/swarm/catalog"
)

var (
	// ErrClosed is returned by every method of a store after Close.
	ErrClosed = errors.New("store: closed")
	// ErrInvalid reports an argument a store refuses to record (a bad pin
	// name, location or download ID). It is returned wrapped with the reason.
	ErrInvalid = errors.New("store: invalid argument")
)

// StaleError reports an in-place location whose file changed since it was
// added. It unwraps to catalog.ErrStale.
type StaleError struct {
	Path   string // the file
	Reason string // what changed, for people
}

func (e *StaleError) Error() string {
	return fmt.Sprintf("%v: %s: %s", catalog.ErrStale, e.Path, e.Reason)
}

// Unwrap makes errors.Is(err, catalog.ErrStale) true.
func (e *StaleError) Unwrap() error { return catalog.ErrStale }

func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...)
}
