package fetch

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// housekeep journals verified chunks and reports progress until stop is
// closed. ctx is not cancelled by an interrupted download: the journal
// write in flight completes, so no verified chunk is forgotten.
func (e *engine) housekeep(ctx context.Context, stop <-chan struct{}) {
	commitT := time.NewTicker(commitEvery)
	defer commitT.Stop()
	progressT := time.NewTicker(progressEvery)
	defer progressT.Stop()
	for {
		select {
		case <-stop:
			return
		case <-commitT.C:
			if err := e.commit(ctx); err != nil {
				e.mu.Lock()
				e.fail(err)
				e.mu.Unlock()
			}
		case now := <-progressT.C:
			e.resize(now)
			e.checkStall(now)
			e.report()
		}
	}
}

// commit makes the chunks written so far durable, then journals them: a
// chunk is in the journal only if its bytes reached the disk first.
func (e *engine) commit(ctx context.Context) error {
	e.mu.Lock()
	batch := e.unsynced
	e.unsynced = nil
	e.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	if err := syncTree(existingParent(e.l.partial)); err != nil {
		return &DestError{Path: e.l.partial, Err: fmt.Errorf("sync: %w", err)}
	}
	if err := e.cfg.Journal.Add(ctx, batch); err != nil {
		return fmt.Errorf("writing download journal: %w", err)
	}
	if e.cfg.Committed != nil {
		e.cfg.Committed(e.l.written(batch))
	}
	return nil
}

// existingParent returns p if it exists, else its nearest existing parent.
func existingParent(p string) string {
	for {
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(p)
		if parent == p {
			return p
		}
		p = parent
	}
}

func (e *engine) snapshot() Progress {
	e.mu.Lock()
	defer e.mu.Unlock()
	p := Progress{
		Bytes:   e.resumed + e.fetched,
		Total:   e.total,
		Resumed: e.resumed,
		Elapsed: time.Since(e.started),
	}
	p.Sources = e.sourceStats()
	return p
}

func (e *engine) report() {
	if e.cfg.Progress != nil {
		e.cfg.Progress(e.snapshot())
	}
}

func (e *engine) result() Result {
	p := e.snapshot()
	return Result{
		Dest:     e.l.dest,
		Bytes:    p.Bytes - p.Resumed,
		Resumed:  p.Resumed,
		Total:    p.Total,
		Duration: p.Elapsed,
		Sources:  p.Sources,
	}
}
