package storetest

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/swarm-project/swarm/catalog"
	"github.com/swarm-project/swarm/node/store/storecore"
)

func mustJournal(t *testing.T, s catalog.Store, id string, idx ...uint64) {
	t.Helper()
	if err := s.JournalAdd(t.Context(), id, idx); err != nil {
		t.Fatalf("JournalAdd(%q): %v", id, err)
	}
}

func wantJournal(t *testing.T, s catalog.Store, id string, want []uint64) {
	t.Helper()
	got, err := s.JournalLoad(t.Context(), id)
	if err != nil {
		t.Fatalf("JournalLoad(%q): %v", id, err)
	}
	if !slices.Equal(got, want) {
		if len(got) > 20 || len(want) > 20 {
			t.Fatalf("JournalLoad(%q) = %d indexes, want %d (or they differ)", id, len(got), len(want))
		}
		t.Fatalf("JournalLoad(%q) = %v, want %v", id, got, want)
	}
}

func testJournal(t *testing.T, s catalog.Store) {
	wantJournal(t, s, "d", nil)
	mustJournal(t, s, "d", 5, 1, 3)
	mustJournal(t, s, "d", 3, 7, 1, 7)
	mustJournal(t, s, "d")
	wantJournal(t, s, "d", []uint64{1, 3, 5, 7})
	edges := []uint64{0, 4095, 4096, 1 << 40, math.MaxUint64 - 1, math.MaxUint64}
	mustJournal(t, s, "e", edges...)
	wantJournal(t, s, "e", edges)

	if err := s.JournalDelete(t.Context(), "d"); err != nil {
		t.Fatal(err)
	}
	wantJournal(t, s, "d", nil)
	wantJournal(t, s, "e", edges)
	if err := s.JournalDelete(t.Context(), "d"); err != nil {
		t.Fatalf("JournalDelete of a missing journal: %v", err)
	}
	mustJournal(t, s, "d", 9) // a deleted journal can start again
	wantJournal(t, s, "d", []uint64{9})
}

// IDs that are prefixes of one another do not share indexes.
func testJournalSeparate(t *testing.T, s catalog.Store) {
	ids := []string{"a", "ab", "abc", "b", "a\x00", "a\xff"}
	for i, id := range ids {
		mustJournal(t, s, id, uint64(i), uint64(100+i))
	}
	if err := s.JournalDelete(t.Context(), "ab"); err != nil {
		t.Fatal(err)
	}
	for i, id := range ids {
		if id == "ab" {
			wantJournal(t, s, id, nil)
			continue
		}
		wantJournal(t, s, id, []uint64{uint64(i), uint64(100 + i)})
	}
}

// 1e5 indexes, added shuffled in batches of 1000 and then all again.
func testJournalLarge(t *testing.T, s catalog.Store) {
	const n = 100_000
	idx := make([]uint64, n)
	for i := range idx {
		idx[i] = uint64(i)
	}
	want := slices.Clone(idx)
	rand.New(rand.NewPCG(1, 2)).Shuffle(n, func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
	for i := 0; i < n; i += 1000 {
		mustJournal(t, s, "big", idx[i:i+1000]...)
	}
	mustJournal(t, s, "big", idx...)
	wantJournal(t, s, "big", want)
	if err := s.JournalDelete(t.Context(), "big"); err != nil {
		t.Fatal(err)
	}
	wantJournal(t, s, "big", nil)
}

func testJournalInvalid(t *testing.T, s catalog.Store) {
	ctx := t.Context()
	long := string(make([]byte, storecore.MaxDownloadIDLen+1))
	for _, id := range []string{"", long} {
		if err := s.JournalAdd(ctx, id, []uint64{1}); !errors.Is(err, storecore.ErrInvalid) {
			t.Errorf("JournalAdd(%d-byte ID) = %v, want ErrInvalid", len(id), err)
		}
		if _, err := s.JournalLoad(ctx, id); !errors.Is(err, storecore.ErrInvalid) {
			t.Errorf("JournalLoad(%d-byte ID) = %v, want ErrInvalid", len(id), err)
		}
		if err := s.JournalDelete(ctx, id); !errors.Is(err, storecore.ErrInvalid) {
			t.Errorf("JournalDelete(%d-byte ID) = %v, want ErrInvalid", len(id), err)
		}
	}
}
