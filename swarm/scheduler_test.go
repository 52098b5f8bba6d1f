package swarm

import (
	"testing"
	"time"
)

var t0 = time.Unix(1000, 0)

func TestAssignsEachChunkOnceThenEndgame(t *testing.T) {
	s := New(4, []uint64{1})
	s.AddSource(1, nil)
	s.AddSource(2, nil)
	var got []int
	for _, id := range []SourceID{1, 2, 1} {
		i, ok, _ := s.Next(id, t0)
		if !ok {
			t.Fatalf("source %d got nothing", id)
		}
		got = append(got, i)
	}
	if got[0] != 0 || got[1] != 2 || got[2] != 3 {
		t.Fatalf("assignment %v, want [0 2 3] (chunk 1 was already done)", got)
	}
	// Source 2 is busy with chunk 2: no endgame copy for a busy source.
	if _, ok, _ := s.Next(2, t0); ok {
		t.Fatal("busy source got an endgame duplicate")
	}
	if !s.Completed(2, 2, 10) {
		t.Fatal("first copy not reported as first")
	}
	// Now idle, source 2 duplicates an in-flight chunk of source 1.
	i, ok, _ := s.Next(2, t0)
	if !ok || (i != 0 && i != 3) {
		t.Fatalf("endgame gave %d %v", i, ok)
	}
	if !s.Completed(2, i, 10) || s.Completed(1, i, 10) {
		t.Fatal("duplicate accounting wrong")
	}
}

func TestCorruptSourceIsBannedAndChunkReassigned(t *testing.T) {
	s := New(2, nil)
	s.AddSource(1, nil)
	s.AddSource(2, nil)
	i, _, _ := s.Next(1, t0)
	s.Failed(1, i, Corrupt, "hash mismatch", t0)
	if b, why := s.Banned(1); !b || why != "hash mismatch" {
		t.Fatalf("not banned: %v %q", b, why)
	}
	if _, ok, _ := s.Next(1, t0); ok {
		t.Fatal("banned source got work")
	}
	j, ok, _ := s.Next(2, t0)
	if !ok || j != i {
		t.Fatalf("chunk %d not reassigned (got %d %v)", i, j, ok)
	}
}

func TestTransientBackoffThenBan(t *testing.T) {
	s := New(1, nil)
	s.AddSource(1, nil)
	now := t0
	for f := 1; f < BanAfterFailures; f++ {
		i, ok, _ := s.Next(1, now)
		if !ok {
			t.Fatalf("failure %d: no work", f)
		}
		s.Failed(1, i, Transient, "timeout", now)
		_, ok, retry := s.Next(1, now)
		if ok || !retry.Equal(now.Add(backoff(f))) {
			t.Fatalf("failure %d: want backoff until %v, got ok=%v retry=%v", f, now.Add(backoff(f)), ok, retry)
		}
		now = retry
	}
	i, _, _ := s.Next(1, now)
	s.Failed(1, i, Transient, "timeout", now)
	if b, _ := s.Banned(1); !b {
		t.Fatal("source not dropped after repeated failures")
	}
	if !s.Stuck() {
		t.Fatal("no usable source left but not stuck")
	}
}

func TestMissingRoutesToOtherSource(t *testing.T) {
	s := New(2, nil)
	s.AddSource(1, func(i int) bool { return i == 0 })
	s.AddSource(2, nil)
	i, _, _ := s.Next(1, t0)
	if i != 0 {
		t.Fatalf("source 1 got chunk %d it does not hold", i)
	}
	s.Failed(1, 0, Missing, "not found", t0)
	if _, ok, _ := s.Next(1, t0); ok {
		t.Fatal("source asked again for what it lacks")
	}
	if s.Stuck() {
		t.Fatal("source 2 holds everything: not stuck")
	}
	a, _, _ := s.Next(2, t0)
	b, _, _ := s.Next(2, t0)
	s.Completed(2, a, 1)
	s.Completed(2, b, 1)
	if !s.Done() {
		t.Fatal("not done")
	}
}

// A million chunks, one source that has none of them (the local store of a
// fresh node) and one that has all: scheduling stays linear. A quadratic
// scheduler takes hours here and the test times out.
func TestScalesLinearly(t *testing.T) {
	const n = 1_000_000
	s := New(n, nil)
	s.AddSource(0, nil) // says "missing" to everything
	s.AddSource(1, nil)
	retried := map[int]bool{}
	for !s.Done() {
		// The empty source answers fast: it runs ahead of the full one, and
		// every chunk it refuses goes back to pending behind the other's cursor
		// only if that one already passed it.
		for k := 0; k < 3; k++ {
			if i, ok, _ := s.Next(0, t0); ok {
				s.Failed(0, i, Missing, "", t0)
			}
		}
		i, ok, _ := s.Next(1, t0)
		if !ok {
			t.Fatalf("source 1 got nothing with %d left", s.Remaining())
		}
		if i%7 == 0 && !retried[i] {
			retried[i] = true
			s.Failed(1, i, Transient, "reset", t0) // back to pending, retried later
			s.sources[1].backoff, s.sources[1].failures = time.Time{}, 0
			continue
		}
		s.Completed(1, i, 1)
	}
	if b, n1, _ := s.SourceStats(1); b != n || n1 != n {
		t.Fatalf("source 1 delivered %d", b)
	}
}

// Regression: a chunk completed while an endgame copy is still in flight
// must never be handed out again (it was, and was counted done twice,
// ending the download with another chunk missing).
func TestDoneChunkNeverReassigned(t *testing.T) {
	s := New(2, nil)
	s.AddSource(1, nil)
	s.AddSource(2, nil)
	s.AddSource(3, nil)
	a, _, _ := s.Next(1, t0) // chunk 0
	b, _, _ := s.Next(2, t0) // chunk 1
	s.Completed(2, b, 1)
	dup, ok, _ := s.Next(2, t0) // endgame copy of chunk 0
	if !ok || dup != a {
		t.Fatalf("endgame: %d %v", dup, ok)
	}
	if !s.Completed(1, a, 1) {
		t.Fatal("first copy not first")
	}
	// Chunk 0 is done; source 2's copy is still in flight. Source 3 is idle.
	if i, ok, _ := s.Next(3, t0); ok {
		t.Fatalf("done chunk %d handed out again", i)
	}
	if s.Completed(2, dup, 1) || s.Remaining() != 0 || !s.Done() {
		t.Fatalf("remaining %d", s.Remaining())
	}
}

func TestLimitCapsInFlight(t *testing.T) {
	s := New(10, nil)
	s.AddSource(1, nil)
	s.SetLimit(1, 2)
	a, _, _ := s.Next(1, t0)
	s.Next(1, t0)
	if _, ok, _ := s.Next(1, t0); ok {
		t.Fatal("third request beyond a limit of 2")
	}
	s.Completed(1, a, 1)
	if _, ok, _ := s.Next(1, t0); !ok {
		t.Fatal("no request after one finished")
	}
}

func TestUpdateHas(t *testing.T) {
	s := New(4, nil)
	s.AddSource(1, func(i int) bool { return i < 2 })
	s.UpdateHas(1, func(i int) bool { return i < 2 }, true)
	a, _, _ := s.Next(1, t0)
	b, _, _ := s.Next(1, t0)
	s.Completed(1, a, 1)
	s.Completed(1, b, 1)
	if _, ok, _ := s.Next(1, t0); ok {
		t.Fatal("got a chunk the source lacks")
	}
	if s.Stuck() {
		t.Fatal("stuck while the only source is still growing")
	}
	s.UpdateHas(1, nil, false) // it finished its own download
	c, ok, _ := s.Next(1, t0)
	if !ok || c != 2 {
		t.Fatalf("after update: %d %v", c, ok)
	}
}
