// Package swarm is the multi-source download scheduler. It is pure: it is
// told what is done, which sources exist, what they hold and how requests
// ended, and it answers which chunk each source should fetch next. It does
// no I/O and reads no clock; the caller passes the time in. Its rules are in
// NOTES.md beside this file.
package swarm

import (
	"time"
)

// SourceID names a source within one download.
type SourceID int

// Outcome classifies how a request ended.
type Outcome int

const (
	// Transient failures (timeouts, resets) are retried with backoff.
	Transient Outcome = iota
	// Missing means the source does not hold the chunk; it is not asked again for it.
	Missing
	// Corrupt means the source sent bytes that failed verification; the source is banned.
	Corrupt
	// Canceled means the caller gave up on the request (an endgame loser,
	// or shutdown); it costs the source nothing.
	Canceled
)

// Tuning knobs, exported so tests and callers agree on them.
const (
	MaxCopies        = 2 // endgame: at most this many sources fetch one chunk at once
	BanAfterFailures = 8 // consecutive transient failures before a source is dropped
	BackoffBase      = 200 * time.Millisecond
	BackoffMax       = 10 * time.Second
)

type chunkState uint8

const (
	pending chunkState = iota
	inflight
	done
)

type source struct {
	partial   bool            // it gave a has-map: it holds only the chunks in held
	held      bitset          // if partial
	growing   bool            // its holdings may grow (a peer still downloading)
	missing   bitset          // chunks it said it lacks
	lanes     map[int32]*lane // per availability level (avail.go)
	inflight  int
	limit     int // most requests in flight at once; 0: no limit
	failures  int // consecutive transient failures
	backoff   time.Time
	banned    bool
	reason    string
	bytes     int64
	completed int
}

// Scheduler decides which source fetches which chunk, rarest first. Asking
// for work is amortised O(1) in the number of chunks (times the number of
// availability levels, plus the chunks in flight), so downloads of millions
// of chunks schedule in linear time; a has-map update is O(chunks).
type Scheduler struct {
	state    []chunkState
	copies   []uint8          // sources currently fetching each chunk
	avail    []int32          // availability of each chunk, offset (avail.go)
	levels   []int32          // every value avail has taken, ascending
	inflight map[int]struct{} // chunks with copies > 0
	left     int              // chunks not done
	sources  map[SourceID]*source
}

// New returns a scheduler for n chunks, of which those in alreadyDone are
// done (a resumed download).
func New(n int, alreadyDone []uint64) *Scheduler {
	s := &Scheduler{
		state:    make([]chunkState, n),
		copies:   make([]uint8, n),
		avail:    make([]int32, n),
		levels:   []int32{0},
		inflight: map[int]struct{}{},
		left:     n,
		sources:  map[SourceID]*source{},
	}
	for _, i := range alreadyDone {
		if i < uint64(n) && s.state[i] != done {
			s.state[i] = done
			s.left--
		}
	}
	return s
}

// AddSource registers a source. has reports whether it holds a chunk; nil
// means it holds all of them. has is read once, here (O(chunks)).
// Registering an id again replaces the source.
func (s *Scheduler) AddSource(id SourceID, has func(idx int) bool) {
	if old := s.sources[id]; old != nil && !old.banned {
		s.withdraw(old)
	}
	src := &source{missing: newBitset(len(s.state)), lanes: map[int32]*lane{}}
	s.sources[id] = src
	if has != nil {
		s.install(src, s.snapshot(has), true)
	}
}

// UpdateHas replaces what source id holds, e.g. a fresh have-map from a
// peer that is itself downloading; growing says it may hold more later
// (such a source keeps the download from being declared stuck). Chunks it
// said it lacked become eligible again. has is read once, here.
func (s *Scheduler) UpdateHas(id SourceID, has func(idx int) bool, growing bool) {
	src := s.sources[id]
	if src == nil {
		return
	}
	src.growing = growing
	held := newBitset(len(s.state))
	if has != nil {
		held = s.snapshot(has)
	}
	if src.banned {
		src.held, src.partial = held, has != nil
		return
	}
	s.install(src, held, has != nil)
}

// snapshot reads a has-map into a bitset.
func (s *Scheduler) snapshot(has func(idx int) bool) bitset {
	b := newBitset(len(s.state))
	for i := range s.state {
		if has(i) {
			b.set(i)
		}
	}
	return b
}

// SetLimit caps how many requests source id may have in flight (its
// pipelining depth); 0 removes the cap. The caller sizes it to the source's
// bandwidth-delay product.
func (s *Scheduler) SetLimit(id SourceID, n int) {
	if src := s.sources[id]; src != nil {
		src.limit = n
	}
}

// InFlight is the number of chunks being fetched.
func (s *Scheduler) InFlight() int { return len(s.inflight) }

// Done reports whether every chunk is done.
func (s *Scheduler) Done() bool { return s.left == 0 }

// Remaining is the number of chunks not yet done.
func (s *Scheduler) Remaining() int { return s.left }

// Next returns the chunk source id should fetch now. If it has nothing to
// do right now, ok is false and retryAt is when to ask again (zero: when
// something changes). A banned or unknown source never gets work.
func (s *Scheduler) Next(id SourceID, now time.Time) (idx int, ok bool, retryAt time.Time) {
	src := s.sources[id]
	if src == nil || src.banned || s.left == 0 {
		return 0, false, time.Time{}
	}
	if now.Before(src.backoff) {
		return 0, false, src.backoff
	}
	if src.limit > 0 && src.inflight >= src.limit {
		return 0, false, time.Time{}
	}
	if i, found := s.pickPending(src); found {
		s.start(src, i)
		return i, true, time.Time{}
	}
	if i, found := s.pickEndgame(src); found {
		s.start(src, i)
		return i, true, time.Time{}
	}
	return 0, false, time.Time{}
}

func (s *Scheduler) start(src *source, i int) {
	s.state[i] = inflight
	s.copies[i]++
	s.inflight[i] = struct{}{}
	src.inflight++
}

func (s *Scheduler) canServe(src *source, i int) bool {
	return !src.missing.has(i) && (!src.partial || src.held.has(i))
}

// pickEndgame duplicates an in-flight chunk onto an idle source once
// nothing is pending for it, so one slow source cannot hold up the end.
func (s *Scheduler) pickEndgame(src *source) (int, bool) {
	if src.inflight > 0 {
		return 0, false
	}
	best := -1
	for i := range s.inflight {
		if s.state[i] == inflight && s.copies[i] < MaxCopies && s.canServe(src, i) && (best < 0 || i < best) {
			best = i
		}
	}
	return best, best >= 0
}

// Completed records that source id delivered chunk idx, verified. It
// reports whether this was the first copy (false: an endgame duplicate whose
// bytes should be discarded).
func (s *Scheduler) Completed(id SourceID, idx int, bytes int64) bool {
	src := s.sources[id]
	s.finish(src, idx)
	if src != nil {
		src.failures = 0
	}
	if s.state[idx] == done {
		return false
	}
	s.state[idx] = done
	s.left--
	delete(s.inflight, idx) // losing copies still finishing do not make it eligible again
	if src != nil {
		src.bytes += bytes
		src.completed++
	}
	return true
}

// Failed records that source id could not deliver chunk idx.
func (s *Scheduler) Failed(id SourceID, idx int, o Outcome, reason string, now time.Time) {
	src := s.sources[id]
	if src != nil {
		switch o {
		case Missing:
			s.refuse(src, idx)
		case Corrupt:
			s.Ban(id, reason)
		}
	}
	s.finish(src, idx)
	if src == nil || o != Transient {
		return
	}
	src.failures++
	if src.failures >= BanAfterFailures {
		s.Ban(id, "too many failures: "+reason)
		return
	}
	src.backoff = now.Add(backoff(src.failures))
}

func backoff(failures int) time.Duration {
	d := BackoffBase << (failures - 1)
	if d > BackoffMax || d <= 0 {
		d = BackoffMax
	}
	return d
}

func (s *Scheduler) finish(src *source, idx int) {
	if src != nil && src.inflight > 0 {
		src.inflight--
	}
	if s.copies[idx] > 0 {
		s.copies[idx]--
	}
	if s.copies[idx] == 0 {
		delete(s.inflight, idx)
		if s.state[idx] == inflight {
			s.state[idx] = pending
			s.offer(idx) // to the sources whose lanes already passed it
		}
	}
}

// Ban drops a source for the rest of the download; the chunks it held
// become rarer.
func (s *Scheduler) Ban(id SourceID, reason string) {
	if src := s.sources[id]; src != nil && !src.banned {
		s.withdraw(src)
		src.banned, src.reason = true, reason
	}
}

// Banned reports whether a source was dropped, and why.
func (s *Scheduler) Banned(id SourceID) (bool, string) {
	if src := s.sources[id]; src != nil {
		return src.banned, src.reason
	}
	return false, ""
}

// Stuck reports whether the download can make no more progress: chunks
// remain, none is in flight, and no usable source holds any of them.
func (s *Scheduler) Stuck() bool {
	if s.left == 0 || len(s.inflight) > 0 {
		return false
	}
	for _, src := range s.sources {
		if src.banned {
			continue
		}
		if src.growing {
			return false // it may get what is missing; the caller bounds the wait
		}
		if _, found := s.pickPending(src); found {
			return false
		}
	}
	return true
}

// SourceStats returns what a source delivered first (endgame duplicates
// that lost are not counted) and why it was dropped, if it was.
func (s *Scheduler) SourceStats(id SourceID) (bytes int64, chunks int, dropped string) {
	if src := s.sources[id]; src != nil {
		return src.bytes, src.completed, src.reason
	}
	return 0, 0, ""
}
