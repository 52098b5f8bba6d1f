package swarm

import (
	"slices"
	"testing"
)

// take asks source id for k chunks and returns them in the order given.
func take(t *testing.T, s *Scheduler, id SourceID, k int) []int {
	t.Helper()
	var got []int
	for range k {
		i, ok, _ := s.Next(id, t0)
		if !ok {
			t.Fatalf("source %d got nothing after %v", id, got)
		}
		got = append(got, i)
	}
	return got
}

// A holds everything, B only the first half. In order, A would start on
// chunks B could serve too (0, 1, ...); rarest first, A is given the chunks
// only it holds, and B the rest.
func TestRarestFirstGivesOnlyHeldChunksFirst(t *testing.T) {
	s := New(8, nil)
	s.AddSource(1, nil)
	s.AddSource(2, func(i int) bool { return i < 4 })
	if got := take(t, s, 1, 4); !slices.Equal(got, []int{4, 5, 6, 7}) {
		t.Fatalf("A got %v, want the chunks only it holds, [4 5 6 7]", got)
	}
	if got := take(t, s, 2, 4); !slices.Equal(got, []int{0, 1, 2, 3}) {
		t.Fatalf("B got %v, want [0 1 2 3]", got)
	}
}

// rounds runs a download in lock-step rounds: every source fetches one
// chunk per round. It returns the number of rounds and what each delivered.
func rounds(s *Scheduler, ids ...SourceID) (int, map[SourceID]int) {
	delivered := map[SourceID]int{}
	n := 0
	for ; !s.Done(); n++ {
		var got []int
		for _, id := range ids {
			i, ok, _ := s.Next(id, t0)
			got = append(got, i)
			if !ok {
				got[len(got)-1] = -1
			}
		}
		for k, id := range ids {
			if got[k] >= 0 && s.Completed(id, got[k], 1) {
				delivered[id]++
			}
		}
	}
	return n, delivered
}

// The same two sources, equally fast: in order, A and B share the first
// half and A then fetches the second half alone (6 rounds, A 6 chunks, B
// 2). Rarest first, both work all the time: 4 rounds, 4 chunks each.
func TestRarestFirstFinishesSooner(t *testing.T) {
	s := New(8, nil)
	s.AddSource(1, nil)
	s.AddSource(2, func(i int) bool { return i < 4 })
	n, delivered := rounds(s, 1, 2)
	if n != 4 || delivered[1] != 4 || delivered[2] != 4 {
		t.Fatalf("%d rounds, delivered %v; want 4 rounds, 4 chunks each", n, delivered)
	}
}

// When every chunk is equally available (sources that hold everything,
// has-maps that hold everything), chunks go out strictly in order, as
// before rarest-first: disk writes stay sequential. A chunk that comes
// back to pending is the next one out.
func TestEqualAvailabilityKeepsOrder(t *testing.T) {
	all := func(int) bool { return true }
	s := New(20, nil)
	s.AddSource(1, nil)
	s.AddSource(2, all)
	s.AddSource(3, nil)
	s.UpdateHas(3, all, true)
	var got []int
	for k := 0; !s.Done(); k++ {
		id := SourceID(1 + k%3)
		i, ok, _ := s.Next(id, t0)
		if !ok {
			t.Fatalf("source %d got nothing", id)
		}
		got = append(got, i)
		if i == 5 && !slices.Contains(got[:len(got)-1], 5) {
			s.Failed(id, i, Canceled, "", t0) // back to pending: out again next
			continue
		}
		s.Completed(id, i, 1)
	}
	want := []int{0, 1, 2, 3, 4, 5, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19}
	if !slices.Equal(got, want) {
		t.Fatalf("order %v\nwant  %v", got, want)
	}
}

// Availability follows has-map updates, refusals and dropped sources.
func TestAvailabilityFollowsUpdatesAndDrops(t *testing.T) {
	s := New(6, nil)
	s.AddSource(1, nil) // A: everything
	s.AddSource(2, nil) // B: growing, nothing yet
	s.UpdateHas(2, func(int) bool { return false }, true)
	s.AddSource(3, nil) // C: says it has everything, but does not
	if got := take(t, s, 1, 1); got[0] != 0 {
		t.Fatalf("all equal: A got %d, want 0", got[0])
	}
	s.UpdateHas(2, func(i int) bool { return i < 3 }, true)
	if got := take(t, s, 1, 1); got[0] != 3 {
		t.Fatalf("B now holds 1 and 2: A got %d, want 3", got[0])
	}
	if got := take(t, s, 3, 1); got[0] != 4 {
		t.Fatalf("C got %d, want 4", got[0])
	}
	s.Failed(3, 4, Missing, "not found", t0)
	if got := take(t, s, 1, 1); got[0] != 4 {
		t.Fatalf("C refused 4, so only A holds it: A got %d, want 4", got[0])
	}
	s.Ban(2, "gone")
	if got := take(t, s, 1, 1); got[0] != 1 {
		t.Fatalf("B dropped, 1 2 5 equally rare: A got %d, want 1", got[0])
	}
	if got := take(t, s, 3, 2); !slices.Equal(got, []int{2, 5}) {
		t.Fatalf("C got %v, want [2 5]", got)
	}
}

// A million chunks with partial holders, a refusing source and a growing
// has-map that is replaced ten times: scheduling stays linear (a scan of
// every pending chunk per request takes hours here and times out).
func TestRarestFirstScalesLinearly(t *testing.T) {
	const n = 1_000_000
	s := New(n, nil)
	s.AddSource(1, nil)                                     // everything
	s.AddSource(2, func(i int) bool { return i%2 == 0 })    // even chunks
	s.AddSource(3, func(i int) bool { return i >= n-1000 }) // growing from the end
	s.AddSource(4, nil)                                     // refuses every fifth request
	asked := 0
	for next := n / 10; !s.Done(); {
		for _, id := range []SourceID{1, 2, 3, 4} {
			i, ok, _ := s.Next(id, t0)
			if !ok {
				continue
			}
			if asked++; id == 4 && asked%5 == 0 {
				s.Failed(id, i, Missing, "", t0)
				continue
			}
			s.Completed(id, i, 1)
		}
		if done := n - s.Remaining(); done >= next {
			lo := n - done
			s.UpdateHas(3, func(i int) bool { return i >= lo }, true)
			next += n / 10
		}
	}
	total := int64(0)
	for id := SourceID(1); id <= 4; id++ {
		b, _, _ := s.SourceStats(id)
		total += b
	}
	if total != n {
		t.Fatalf("delivered %d chunks, want %d", total, n)
	}
}
