package store

import (
	"context"
	"sync"
)

// maxJournalBatch bounds how many JournalAdd calls one commit serves.
const maxJournalBatch = 1024

// journalWriter owns the journal pages: one goroutine applies JournalAdd
// calls, taking every call that is waiting into one transaction and one
// sync (group commit). Pages are read, modified and written, so a single
// writer also spares concurrent JournalAdds from conflicting on a shared
// page.
type journalWriter struct {
	reqs   chan *journalReq
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

type journalReq struct {
	id   string
	idx  []uint64
	done chan error // buffered: the writer never blocks on it
}

func startJournalWriter(s *Store) *journalWriter {
	ctx, cancel := context.WithCancel(context.Background())
	w := &journalWriter{reqs: make(chan *journalReq), cancel: cancel}
	w.wg.Go(func() { w.run(ctx, s.writeJournal) })
	return w
}

// run serves requests until ctx is cancelled.
func (w *journalWriter) run(ctx context.Context, write func([]*journalReq) error) {
	for {
		select {
		case <-ctx.Done():
			return
		case r := <-w.reqs:
			batch := w.drain(r)
			err := write(batch)
			for _, r := range batch {
				r.done <- err
			}
		}
	}
}

// drain returns first and every request already waiting, up to a bound.
func (w *journalWriter) drain(first *journalReq) []*journalReq {
	batch := []*journalReq{first}
	for len(batch) < maxJournalBatch {
		select {
		case r := <-w.reqs:
			batch = append(batch, r)
		default:
			return batch
		}
	}
	return batch
}

// stop ends the goroutine and waits for it. The Store calls it from Close
// once no call is in progress, so no request is left waiting.
func (w *journalWriter) stop() {
	w.cancel()
	w.wg.Wait()
}
