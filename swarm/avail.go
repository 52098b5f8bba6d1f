package swarm

import "slices"

// Availability (NOTES.md rule 2). avail[i] is how many live sources hold
// chunk i, minus the number of live sources that hold everything. The
// subtracted part is the same for every chunk, so it does not change which
// chunk is rarest, and a source that holds everything is added or dropped
// in O(1) unless it refused chunks. A source's contribution to avail[i] is
// therefore:
//
//	holds everything, did not refuse i:  0
//	holds everything, refused i:        -1
//	has-map with i, did not refuse i:   +1
//	otherwise:                           0
//
// Pending chunks are picked from the lowest level (value of avail) up. Each
// source keeps a lane per level: a cursor that has passed every chunk below
// it, and a heap of the chunks below the cursor that became pickable at that
// level since (back to pending, moved to the level, or newly held).

// lane is one source's position in one availability level.
type lane struct {
	cursor int     // every chunk below it was passed when not pickable here
	retry  intHeap // chunks below cursor that became pickable here since
}

// contrib is src's contribution to avail[i]; a dropped source has none.
func (s *Scheduler) contrib(src *source, i int) int32 {
	if src.banned {
		return 0
	}
	var c int32
	if s.canServe(src, i) {
		c = 1
	}
	if !src.partial {
		c--
	}
	return c
}

// adjust changes avail[i] by d and offers the chunk at its new level if it
// is pending.
func (s *Scheduler) adjust(i int, d int32) {
	s.avail[i] += d
	s.noteLevel(s.avail[i])
	if s.state[i] == pending {
		s.offer(i)
	}
}

// noteLevel keeps levels, the values avail has taken, sorted. There are at
// most about twice as many as there are sources.
func (s *Scheduler) noteLevel(v int32) {
	if at, found := slices.BinarySearch(s.levels, v); !found {
		s.levels = slices.Insert(s.levels, at, v)
	}
}

// offer gives a chunk that became pickable at its level to every live
// source that holds it and whose lane there has already passed it.
func (s *Scheduler) offer(i int) {
	for _, src := range s.sources {
		s.offerTo(src, i)
	}
}

func (s *Scheduler) offerTo(src *source, i int) {
	if src.banned || !s.canServe(src, i) {
		return
	}
	if l := src.lanes[s.avail[i]]; l != nil && l.cursor > i {
		l.retry.push(i)
	}
}

// install replaces what src holds (a has-map, or everything when partial
// is false) and clears what it refused, updating availability by the
// difference: O(number of chunks), plus O(sources) per chunk that changed.
func (s *Scheduler) install(src *source, held bitset, partial bool) {
	old := *src
	src.held, src.partial, src.missing = held, partial, newBitset(len(s.state))
	for i := range s.state {
		if d := s.contrib(src, i) - s.contrib(&old, i); d != 0 {
			s.adjust(i, d)
		} else if s.state[i] == pending && s.canServe(src, i) && !s.canServe(&old, i) {
			s.offerTo(src, i)
		}
	}
}

// withdraw removes a source's contribution (it was dropped). A source that
// holds everything and refused nothing contributed nothing.
func (s *Scheduler) withdraw(src *source) {
	if !src.partial && src.missing.words == nil {
		return
	}
	for i := range s.state {
		if c := s.contrib(src, i); c != 0 {
			s.adjust(i, -c)
		}
	}
}

// refuse records that src lacks chunk i; if it was counted as holding it,
// the chunk becomes rarer.
func (s *Scheduler) refuse(src *source, i int) {
	counted := !src.banned && s.canServe(src, i)
	src.missing.set(i)
	if counted {
		s.adjust(i, -1)
	}
}

// pickPending returns the pending chunk the source holds with the lowest
// availability, the lowest-numbered among equals.
func (s *Scheduler) pickPending(src *source) (int, bool) {
	for _, v := range s.levels {
		if i, ok := s.pickAt(src, v); ok {
			return i, true
		}
	}
	return 0, false
}

// pickAt returns the lowest pending chunk at level v that src holds: first
// among chunks that became pickable behind its cursor, then by advancing
// the cursor. Each lane's cursor passes each chunk once, and every heap
// entry is pushed by one event, so the total work is linear in the chunks
// times the levels (plus the events).
func (s *Scheduler) pickAt(src *source, v int32) (int, bool) {
	l := src.lanes[v]
	if l == nil {
		l = &lane{}
		src.lanes[v] = l
	}
	for l.retry.Len() > 0 {
		i := l.retry.min()
		if s.pickable(src, i, v) {
			return i, true
		}
		l.retry.popMin() // taken, finished, moved or not servable since: forget it
	}
	for ; l.cursor < len(s.state); l.cursor++ {
		if s.pickable(src, l.cursor, v) {
			return l.cursor, true
		}
	}
	return 0, false
}

func (s *Scheduler) pickable(src *source, i int, v int32) bool {
	return s.state[i] == pending && s.avail[i] == v && s.canServe(src, i)
}
