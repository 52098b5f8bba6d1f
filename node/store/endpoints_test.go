package store

import (
	"errors"
	"slices"
	"testing"
)

func TestEndpointsCodec(t *testing.T) {
	in := []string{"https://mirror.example/d/", "http://10.0.0.7:8080/x?sig=é"}
	b := encodeEndpoints(in)
	if out, err := decodeEndpoints(b); err != nil || !slices.Equal(out, in) {
		t.Fatalf("round trip of %q = %q, %v", in, out, err)
	}
	for i := range len(b) {
		if _, err := decodeEndpoints(b[:i]); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("decoding %d of %d bytes = %v, want ErrCorrupt", i, len(b), err)
		}
	}
	if _, err := decodeEndpoints(append(b, 0)); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("trailing byte accepted: %v", err)
	}
}

func FuzzDecodeEndpoints(f *testing.F) {
	f.Add(encodeEndpoints([]string{"http://a/", "https://b/c"}))
	f.Fuzz(func(t *testing.T, b []byte) {
		urls, err := decodeEndpoints(b)
		if err != nil {
			return
		}
		if again, err := decodeEndpoints(encodeEndpoints(urls)); err != nil || !slices.Equal(again, urls) {
			t.Fatalf("re-encoded %q = %q, %v", urls, again, err)
		}
	})
}
