package manifest

import (
	"encoding/binary"
	"strconv"
)

// Reasons a uvarint is refused. Only minimal encodings of values that fit in
// 64 bits are accepted, so each value has exactly one encoding.
const (
	reasonTruncated  = "truncated"
	reasonNonMinimal = "non-minimal varint"
	reasonOverflow   = "varint overflows 64 bits"
)

// uvarint decodes a canonical uvarint from the start of b and returns the
// value and its length, or a reason it is refused.
func uvarint(b []byte) (v uint64, n int, reason string) {
	var shift uint
	for i := 0; i < binary.MaxVarintLen64; i++ {
		if i == len(b) {
			return 0, 0, reasonTruncated
		}
		c := b[i]
		if c < 0x80 {
			switch {
			case i == binary.MaxVarintLen64-1 && c > 1:
				return 0, 0, reasonOverflow
			case i > 0 && c == 0:
				return 0, 0, reasonNonMinimal
			}
			return v | uint64(c)<<shift, i + 1, ""
		}
		v |= uint64(c&0x7f) << shift
		shift += 7
	}
	return 0, 0, reasonOverflow
}

func quote(s string) string { return strconv.Quote(s) }
