package fetch

import (
	"context"
	"time"

	"github.com/swarm-project/swarm/swarm"
)

// askHaves queries every Haver source (all of them when all is set, else
// only those still growing) and updates the scheduler. A source that
// cannot answer is assumed to hold everything it does not refuse.
func (e *engine) askHaves(ctx context.Context, all bool) {
	e.mu.Lock()
	srcs := append([]Source(nil), e.sources...)
	e.mu.Unlock()
	for i, src := range srcs {
		if all || e.isGrowing(i) {
			e.askHave(ctx, i, src)
		}
	}
}

// askHave updates the scheduler with one Haver source's holdings.
func (e *engine) askHave(ctx context.Context, i int, src Source) {
	h, ok := src.(Haver)
	if !ok {
		return
	}
	qctx, cancel := context.WithTimeout(ctx, haveTimeout)
	has, growing, err := h.Have(qctx)
	cancel()
	if err != nil {
		e.cfg.Log.Debug("have query failed", "source", src.Name(), "err", err)
		return
	}
	e.mu.Lock()
	e.growing[i] = growing
	e.sched.UpdateHas(swarm.SourceID(i), has, growing)
	e.broadcast()
	e.mu.Unlock()
}

func (e *engine) isGrowing(i int) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.growing[i]
}

// checkStall fails the download when it waits on growing sources that
// deliver nothing: no request in flight and no chunk done for stallTimeout.
func (e *engine) checkStall(now time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.sched.Done() || e.sched.InFlight() > 0 || now.Sub(e.lastProgress) < stallTimeout {
		return
	}
	e.fail(&UnavailableError{Missing: e.sched.Remaining(), Reasons: "no source delivered anything for " + stallTimeout.String()})
}

// haveLoop asks growing sources for fresh have-maps until stop is closed.
func (e *engine) haveLoop(ctx context.Context, stop <-chan struct{}) {
	t := time.NewTicker(haveEvery)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-ctx.Done():
			return
		case <-t.C:
			e.askHaves(ctx, false)
		}
	}
}
