package store_test

import (
	"runtime"
	"testing"
)

// Close stops every goroutine Open started (Badger's and the journal
// writer). A first Open/Close lets any process-wide goroutine start first.
func TestCloseStopsGoroutines(t *testing.T) {
	mustNil(t, open(t, t.TempDir()).Close())
	before := runtime.NumGoroutine()
	s := open(t, t.TempDir())
	mustNil(t, s.JournalAdd(t.Context(), "dl", []uint64{1}))
	if runtime.NumGoroutine() <= before {
		t.Fatal("Open started no goroutine; the check below proves nothing")
	}
	mustNil(t, s.Close())
	if after := runtime.NumGoroutine(); after != before {
		buf := make([]byte, 1<<20)
		t.Fatalf("%d goroutines before Open, %d after Close:\n%s", before, after, buf[:runtime.Stack(buf, true)])
	}
}
