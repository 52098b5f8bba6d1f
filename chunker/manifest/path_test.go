package manifest

import (
	"errors"
	"strings"
	"testing"
)

func TestValidatePath(t *testing.T) {
	long := strings.Repeat("a", MaxComponentLen)
	ok := []string{
		"a", "a/b", "a/b/c.txt", ".hidden", "a/.b", "..a", "a..", "a b", "ü/日本", "C:", "a:b",
		long, long + "/" + long,
		strings.Repeat("x/", MaxPathLen/2-1) + "xx", // exactly MaxPathLen
	}
	bad := []string{
		"", "/", "/etc/passwd", "../x", "a/../../b", "a/..", "..", ".", "./a", "a/./b",
		"a//b", "a/", "//a", "a\x00b", "a\\b", "..\\x", "a\nb", "a\x1bb", "a\x7fb",
		"\xff\xfe", long + "a", strings.Repeat("a/", MaxPathLen/2) + "a",
	}
	for _, p := range ok {
		if err := ValidatePath(p); err != nil {
			t.Errorf("ValidatePath(%.40q) = %v", p, err)
		}
	}
	if len(ok[len(ok)-1]) != MaxPathLen {
		t.Fatalf("test path is %d bytes", len(ok[len(ok)-1]))
	}
	for _, p := range bad {
		err := ValidatePath(p)
		var ie *InvalidError
		if !errors.Is(err, ErrInvalid) || !errors.As(err, &ie) || ie.Reason == "" {
			t.Errorf("ValidatePath(%.40q) = %v, want *InvalidError", p, err)
		}
	}
}
