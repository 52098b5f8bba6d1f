package fetch

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/swarm-project/swarm/chunker"
	"github.com/swarm-project/swarm/swarm"
)

// engine is the state of one running download. mu guards the scheduler and
// everything below it; fetching, verifying and writing happen outside it.
type engine struct {
	cfg     Config
	l       *layout
	started time.Time
	resumed int64
	total   int64

	mu           sync.Mutex
	sched        *swarm.Scheduler
	changed      chan struct{} // closed and replaced on every state change
	copies       map[int]map[swarm.SourceID]context.CancelFunc
	sources      []Source     // grows when Config.More delivers
	meters       []depthMeter // per source
	growing      []bool       // per source: it is itself downloading
	lastProgress time.Time
	fetched      int64
	unsynced     []uint64 // verified and written, not yet journaled
	err          error
	cancel       context.CancelFunc
	expecting    bool          // Config.More is still open: do not declare the download stuck
	finished     chan struct{} // closed once every chunk is done or the download failed
}

func newEngine(cfg Config, l *layout, done []uint64) *engine {
	e := &engine{
		cfg:          cfg,
		l:            l,
		started:      cmp.Or(cfg.Started, time.Now()),
		total:        cfg.Manifest.TotalSize(),
		sched:        swarm.New(len(l.refs), done),
		changed:      make(chan struct{}),
		copies:       map[int]map[swarm.SourceID]context.CancelFunc{},
		sources:      append([]Source(nil), cfg.Sources...),
		finished:     make(chan struct{}),
		expecting:    cfg.More != nil,
		meters:       make([]depthMeter, len(cfg.Sources)),
		growing:      make([]bool, len(cfg.Sources)),
		lastProgress: time.Now(),
	}
	for _, i := range done {
		if i < uint64(len(l.refs)) {
			e.resumed += int64(l.refs[i].size)
		}
	}
	for i := range cfg.Sources {
		e.sched.AddSource(swarm.SourceID(i), nil)
		e.sched.SetLimit(swarm.SourceID(i), startDepth(e.avgChunk(), cfg.Depth))
	}
	return e
}

func (e *engine) checkSpace() error {
	need := e.total - e.resumed
	free, err := freeBytes(existingParent(e.l.partial))
	if err != nil || need <= free {
		return nil
	}
	return &DestError{Path: e.l.dest, Err: fmt.Errorf("%w: need %d bytes, %d free", ErrNoSpace, need, free)}
}

// run fetches every chunk, or returns the first fatal error.
func (e *engine) run(parent context.Context) error {
	if e.sched.Done() {
		return nil
	}
	ctx, cancel := context.WithCancel(parent)
	e.cancel = cancel
	defer cancel()
	e.askHaves(ctx, true)
	var workers, keeper sync.WaitGroup
	stopKeeper := make(chan struct{})
	keeper.Add(2)
	go func() { defer keeper.Done(); e.housekeep(context.WithoutCancel(parent), stopKeeper) }()
	go func() { defer keeper.Done(); e.haveLoop(ctx, stopKeeper) }()
	for i, src := range e.sources {
		e.startSlots(ctx, &workers, swarm.SourceID(i), src)
	}
	if e.cfg.More != nil {
		workers.Add(1)
		go func() { defer workers.Done(); e.takeMore(ctx, &workers) }()
	}
	workers.Wait()
	close(stopKeeper)
	keeper.Wait()
	if err := e.commit(context.WithoutCancel(parent)); err != nil && e.err == nil {
		e.err = err
	}
	e.report()
	return e.outcome(parent)
}

// outcome is the download's result once every slot has exited: the first
// fatal error, the caller's cancellation, or, if chunks remain for any other
// reason (every source dropped), ErrUnavailable. Never success with chunks
// missing.
func (e *engine) outcome(parent context.Context) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	switch {
	case e.err != nil:
		return e.err
	case e.sched.Done():
		return nil
	case parent.Err() != nil:
		return parent.Err()
	}
	return &UnavailableError{Missing: e.sched.Remaining(), Reasons: e.dropReasons()}
}

// slot is one request slot of one source: ask, fetch, verify, write, repeat.
// startSlots runs the request slots of one source.
func (e *engine) startSlots(ctx context.Context, workers *sync.WaitGroup, id swarm.SourceID, src Source) {
	for range e.cfg.Depth {
		workers.Add(1)
		go func() { defer workers.Done(); e.slot(ctx, id, src) }()
	}
}

// takeMore adds the sources Config.More delivers while the download runs
// (peers found by a DHT search that was still going when it started).
// Its own slot in workers keeps Add legal until it returns.
func (e *engine) takeMore(ctx context.Context, workers *sync.WaitGroup) {
	defer func() {
		e.mu.Lock()
		e.expecting = false
		e.broadcast()
		e.mu.Unlock()
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case <-e.finished:
			return
		case src, ok := <-e.cfg.More:
			if !ok {
				return
			}
			e.startSlots(ctx, workers, e.addSource(ctx, src), src)
		}
	}
}

func (e *engine) addSource(ctx context.Context, src Source) swarm.SourceID {
	e.mu.Lock()
	id := swarm.SourceID(len(e.sources))
	e.sources = append(e.sources, src)
	e.meters = append(e.meters, depthMeter{})
	e.growing = append(e.growing, false)
	e.sched.AddSource(id, nil)
	e.sched.SetLimit(id, startDepth(e.avgChunk(), e.cfg.Depth))
	e.mu.Unlock()
	e.askHave(ctx, int(id), src)
	return id
}

func (e *engine) slot(ctx context.Context, id swarm.SourceID, src Source) {
	for {
		idx, fctx, cancel, wait, ok := e.next(ctx, id)
		if !ok {
			if wait == nil {
				return
			}
			select {
			case <-ctx.Done():
				return
			case <-wait:
			}
			continue
		}
		start := time.Now()
		data, err := src.Fetch(fctx, e.l.cids[idx])
		lie := e.deliver(fctx, id, idx, data, err, time.Since(start))
		cancel()
		if lie != nil && e.cfg.Corrupt != nil {
			e.cfg.Corrupt(src, lie)
		}
	}
}

// next asks the scheduler for work. With no work it returns a channel to
// wait on, or nil when this slot should exit.
func (e *engine) next(ctx context.Context, id swarm.SourceID) (int, context.Context, context.CancelFunc, <-chan struct{}, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.err != nil || e.sched.Done() || ctx.Err() != nil {
		return 0, nil, nil, nil, false
	}
	idx, ok, retryAt := e.sched.Next(id, time.Now())
	if ok {
		fctx, cancel := context.WithTimeout(ctx, e.cfg.RequestTimeout)
		if e.copies[idx] == nil {
			e.copies[idx] = map[swarm.SourceID]context.CancelFunc{}
		}
		e.copies[idx][id] = cancel
		return idx, fctx, cancel, nil, true
	}
	if banned, _ := e.sched.Banned(id); banned {
		return 0, nil, nil, nil, false
	}
	if !e.expecting && e.sched.Stuck() {
		e.fail(&UnavailableError{Missing: e.sched.Remaining(), Reasons: e.dropReasons()})
		return 0, nil, nil, nil, false
	}
	if !retryAt.IsZero() {
		return 0, nil, nil, timerChan(ctx, retryAt, e.changed), false
	}
	return 0, nil, nil, e.changed, false
}

// timerChan returns a channel closed at t or when changed closes.
func timerChan(ctx context.Context, t time.Time, changed <-chan struct{}) <-chan struct{} {
	ch := make(chan struct{})
	go func() {
		defer close(ch)
		tm := time.NewTimer(time.Until(t))
		defer tm.Stop()
		select {
		case <-tm.C:
		case <-changed:
		case <-ctx.Done():
		}
	}()
	return ch
}

// deliver verifies and writes a fetched chunk and tells the scheduler. It
// returns the verification error if it got the source dropped.
func (e *engine) deliver(fctx context.Context, id swarm.SourceID, idx int, data []byte, err error, lat time.Duration) (lie error) {
	if err == nil && len(data) != e.l.refs[idx].size {
		err = fmt.Errorf("%w: chunk %d is %d bytes, manifest says %d", chunker.ErrHashMismatch, idx, len(data), e.l.refs[idx].size)
	}
	if err == nil {
		err = chunker.Verify(e.l.cids[idx], data)
	}
	if err == nil && !e.isDone(idx) {
		if werr := e.l.writeChunk(idx, data); werr != nil {
			e.mu.Lock()
			e.fail(werr)
			e.mu.Unlock()
			return nil
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.copies[idx], id)
	switch {
	case err == nil:
		if e.sched.Completed(id, idx, int64(len(data))) {
			e.meters[id].delivered(int64(len(data)), lat, time.Now())
			e.lastProgress = time.Now()
			e.fetched += int64(len(data))
			e.unsynced = append(e.unsynced, uint64(idx))
			if e.sched.Done() {
				e.finish()
			}
			for _, c := range e.copies[idx] {
				c() // endgame: the other copies lost
			}
		}
		delete(e.copies, idx)
	default:
		if e.failed(fctx, id, idx, err) {
			lie = err
		}
	}
	e.broadcast()
	return lie
}

// failed tells the scheduler how a request failed. It reports whether this
// got the source dropped for sending corrupt data.
func (e *engine) failed(fctx context.Context, id swarm.SourceID, idx int, err error) (dropped bool) {
	name := e.sources[id].Name()
	switch {
	case errors.Is(err, chunker.ErrHashMismatch):
		e.cfg.Log.Warn("source sent a corrupt chunk; dropping it", "source", name, "chunk", idx, "err", err)
		already, _ := e.sched.Banned(id)
		e.sched.Failed(id, idx, swarm.Corrupt, "sent corrupt data: "+err.Error(), time.Now())
		return !already
	case errors.Is(err, ErrNotHave):
		e.sched.Failed(id, idx, swarm.Missing, err.Error(), time.Now())
	case fctx.Err() != nil && !errors.Is(fctx.Err(), context.DeadlineExceeded):
		e.sched.Failed(id, idx, swarm.Canceled, "", time.Now())
	default:
		e.cfg.Log.Debug("request failed", "source", name, "chunk", idx, "err", err)
		e.sched.Failed(id, idx, swarm.Transient, err.Error(), time.Now())
	}
	return false
}

// isDone reports whether another copy of chunk idx already completed (its
// in-flight record is removed on the first verified delivery).
func (e *engine) isDone(idx int) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	_, inFlight := e.copies[idx]
	return !inFlight
}

// fail records the first fatal error and stops the download. Holds mu.
func (e *engine) fail(err error) {
	if e.err == nil {
		e.err = err
		e.cancel()
		e.finish()
	}
	e.broadcast()
}

// finish closes finished once. Holds mu.
func (e *engine) finish() {
	select {
	case <-e.finished:
	default:
		close(e.finished)
	}
}

func (e *engine) broadcast() {
	close(e.changed)
	e.changed = make(chan struct{})
}

func (e *engine) dropReasons() string {
	var rs []string
	for i, s := range e.sources {
		if banned, why := e.sched.Banned(swarm.SourceID(i)); banned {
			rs = append(rs, s.Name()+": "+why)
		}
	}
	return strings.Join(rs, "; ")
}

// sourceStats reports per-source totals. Holds mu.
func (e *engine) sourceStats() []SourceStat {
	out := make([]SourceStat, len(e.sources))
	for i, s := range e.sources {
		b, n, why := e.sched.SourceStats(swarm.SourceID(i))
		out[i] = SourceStat{Name: s.Name(), Bytes: b, Chunks: n, Dropped: why}
	}
	return out
}

// avgChunk is the average chunk size, not the nominal one: a tree of small
// files has many short chunks, and needs as many more requests in flight.
func (e *engine) avgChunk() int64 {
	if n := e.cfg.Manifest.NumChunks(); n > 0 {
		return max(1, e.total/n)
	}
	return int64(e.cfg.Manifest.ChunkSize)
}

// resize sets each source's pipelining depth from its measured rate and
// unloaded latency (see depth.go). Called on every progress tick.
func (e *engine) resize(now time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	chunk := e.avgChunk()
	for i := range e.meters {
		e.meters[i].tick(now)
		e.sched.SetLimit(swarm.SourceID(i), e.meters[i].depth(chunk, e.cfg.Depth))
	}
	e.broadcast()
}
