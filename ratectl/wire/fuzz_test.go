package wire

import (
	"bytes"
	"testing"
)

// FuzzParse checks that no input crashes the parser and that whatever parses
// re-encodes to the same bytes and parses again to the same packet.
func FuzzParse(f *testing.F) {
	for _, p := range samples() {
		f.Add(p.Append(nil))
	}
	f.Add([]byte{})
	f.Add([]byte{Marker | byte(TypeAck)})
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 2*MaxPacketSize {
			return
		}
		p, err := Parse(b)
		if err != nil {
			if p != nil {
				t.Fatalf("non-nil packet with error %v", err)
			}
			return
		}
		enc := p.Append(nil)
		if !bytes.Equal(enc, b) {
			t.Fatalf("re-encoding differs:\n in %x\nout %x", b, enc)
		}
		if _, err := Parse(enc); err != nil {
			t.Fatalf("re-encoded packet fails: %v", err)
		}
	})
}
