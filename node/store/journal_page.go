package store

import "math/bits"

// A journal is kept as bitmap pages: page p of a download holds the
// indexes [p*pageBits, (p+1)*pageBits), index i in bit i%8 (least
// significant first) of byte (i%pageBits)/8. A million indexes take 245
// pages of 512 bytes, and indexes verified close together share a page.
const (
	pageBits  = 4096
	pageBytes = pageBits / 8
)

// pageRef names one page of one download's journal.
type pageRef struct {
	id   string
	page uint64
}

// addToPages sets the bits of idx in the pages of download id.
func addToPages(pages map[pageRef][]byte, id string, idx []uint64) {
	var ref pageRef
	var p []byte
	for _, x := range idx {
		r := pageRef{id: id, page: x / pageBits}
		if p == nil || r != ref {
			ref = r
			if p = pages[r]; p == nil {
				p = make([]byte, pageBytes)
				pages[r] = p
			}
		}
		bit := x % pageBits
		p[bit/8] |= 1 << (bit % 8)
	}
}

// orInto sets in dst the bits set in src and reports whether dst changed.
func orInto(dst, src []byte) bool {
	changed := false
	for i, b := range src {
		if dst[i]|b != dst[i] {
			dst[i] |= b
			changed = true
		}
	}
	return changed
}

// appendIndexes appends the indexes set in page number page, in order.
func appendIndexes(out []uint64, page uint64, p []byte) []uint64 {
	base := page * pageBits
	for i, b := range p {
		for b != 0 {
			out = append(out, base+uint64(i*8+bits.TrailingZeros8(b)))
			b &= b - 1
		}
	}
	return out
}
