package manifest

import (
	"strings"
	"unicode/utf8"
)

// ValidatePath checks that p is an acceptable entry path: non-empty, at most
// MaxPathLen bytes, valid UTF-8, relative, made of "/"-separated components
// that are each 1..MaxComponentLen bytes, neither "." nor "..", and free of
// NUL, other ASCII control characters (0x01-0x1f, 0x7f) and backslash. So
// "", "/etc/passwd", "a/../../b", "a//b", "a/", "./a" and "a\\b" are all
// rejected. Backslash is refused because Windows treats it as a separator;
// control characters because they are never needed and make names that
// deceive terminals. Unicode normalisation is not applied: paths compare as
// bytes. The error is an *InvalidError.
func ValidatePath(p string) error {
	switch {
	case p == "":
		return invalidPath(p, "empty path")
	case len(p) > MaxPathLen:
		return invalidPath(p[:64]+"...", "path longer than "+itoa(MaxPathLen)+" bytes")
	case p[0] == '/':
		return invalidPath(p, "absolute path")
	case !utf8.ValidString(p):
		return invalidPath(p, "path is not valid UTF-8")
	}
	for rest := p; ; {
		comp, tail, more := strings.Cut(rest, "/")
		if reason := componentProblem(comp); reason != "" {
			return invalidPath(p, reason)
		}
		if !more {
			return nil
		}
		rest = tail
	}
}

// validateName checks that name is a single valid path component.
func validateName(name string) error {
	if err := ValidatePath(name); err != nil {
		return invalid("name: " + err.(*InvalidError).Reason)
	}
	if strings.Contains(name, "/") {
		return invalid("name " + quote(name) + " is not a single path component")
	}
	return nil
}

// componentProblem returns why comp is not an acceptable path component, or
// "" if it is.
func componentProblem(comp string) string {
	switch {
	case comp == "":
		return "empty path component"
	case comp == "." || comp == "..":
		return "path component " + quote(comp)
	case len(comp) > MaxComponentLen:
		return "path component longer than " + itoa(MaxComponentLen) + " bytes"
	}
	for i := 0; i < len(comp); i++ {
		if c := comp[i]; c < 0x20 || c == 0x7f || c == '\\' {
			return "path contains forbidden byte " + quote(string(c))
		}
	}
	return ""
}
