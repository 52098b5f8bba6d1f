package storecore

import (
	"strings"
	"time"

	"github.com/swarm-project/swarm/catalog"
)

// MaxPinNameLen caps a pin name, in bytes.
const MaxPinNameLen = 255

// ValidatePinName reports whether name can name a pin: non-empty, at most
// MaxPinNameLen bytes, no NUL byte. Errors wrap ErrInvalid.
func ValidatePinName(name string) error { return validateName("pin name", name, MaxPinNameLen) }

// validateName checks a name that keys a record: non-empty, at most max
// bytes, no NUL byte. what says what it names, for the error.
func validateName(what, name string, max int) error {
	switch {
	case name == "":
		return invalidf("empty %s", what)
	case len(name) > max:
		return invalidf("%s longer than %d bytes", what, max)
	case strings.IndexByte(name, 0) >= 0:
		return invalidf("%s %q contains a NUL byte", what, name)
	}
	return nil
}

// ValidatePin checks the name and that the root is a defined CID.
func ValidatePin(p catalog.Pin) error {
	if err := ValidatePinName(p.Name); err != nil {
		return err
	}
	if !p.Root.Defined() {
		return invalidf("pin %q has an undefined root", p.Name)
	}
	return nil
}

// NormalizePin returns p as a store gives it back: Added kept to the
// nanosecond, without monotonic clock reading, in UTC; a zero time stays zero.
func NormalizePin(p catalog.Pin) catalog.Pin {
	p.Added = NormalizeTime(p.Added)
	return p
}

// NormalizeTime is t as stored: Unix nanoseconds in UTC, zero stays zero.
func NormalizeTime(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return time.Unix(0, t.UnixNano()).UTC()
}
