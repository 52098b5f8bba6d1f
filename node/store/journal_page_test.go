package store

import (
	"bytes"
	"cmp"
	"maps"
	"math"
	"slices"
	"testing"
)

func TestPages(t *testing.T) {
	idx := []uint64{0, 7, 8, 4095, 4096, 9000, math.MaxUint64, 7}
	pages := map[pageRef][]byte{}
	addToPages(pages, "d", idx)
	if len(pages) != 4 {
		t.Fatalf("%d pages, want 4", len(pages))
	}
	refs := slices.SortedFunc(maps.Keys(pages), func(a, b pageRef) int { return cmp.Compare(a.page, b.page) })
	var got []uint64
	for _, ref := range refs {
		got = appendIndexes(got, ref.page, pages[ref])
	}
	want := []uint64{0, 7, 8, 4095, 4096, 9000, math.MaxUint64}
	if !slices.Equal(got, want) {
		t.Fatalf("indexes = %v, want %v", got, want)
	}
}

func TestOrInto(t *testing.T) {
	dst := []byte{0b0101, 0}
	if !orInto(dst, []byte{0b0010, 0}) || !bytes.Equal(dst, []byte{0b0111, 0}) {
		t.Fatalf("orInto = %08b", dst)
	}
	if orInto(dst, []byte{0b0001, 0}) {
		t.Fatal("orInto reported a change for bits already set")
	}
}

// Page keys of one download sort between its prefix and afterJournal, and
// no other download's keys fall in that range.
func TestJournalKeyRanges(t *testing.T) {
	ids := []string{"a", "ab", "a\x00", "a\xff", "b", string(make([]byte, 200))}
	for _, id := range ids {
		p := journalPrefix(id)
		lo, hi := p, afterJournal(p)
		for _, other := range ids {
			for _, page := range []uint64{0, 1, math.MaxUint64} {
				k := journalKey(other, page)
				in := bytes.Compare(k, lo) >= 0 && bytes.Compare(k, hi) < 0
				if in != (other == id) {
					t.Errorf("key of %q page %d in range of %q: %v", other, page, id, in)
				}
				if other == id && journalPage(k) != page {
					t.Errorf("journalPage = %d, want %d", journalPage(k), page)
				}
			}
		}
	}
}
