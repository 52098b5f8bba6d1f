package ratectl

import (
	"testing"
	"time"
)

func TestMinFilterWindow(t *testing.T) {
	f := newMinFilter(8 * time.Second)
	f.Update(t0, 50*time.Millisecond)
	f.Update(t0.Add(2*time.Second), 80*time.Millisecond)
	if got := f.Get(t0.Add(2 * time.Second)); got != 50*time.Millisecond {
		t.Fatalf("min %v, want 50ms", got)
	}
	f.Update(t0.Add(9*time.Second), 90*time.Millisecond)
	if got := f.Get(t0.Add(9 * time.Second)); got != 80*time.Millisecond {
		t.Fatalf("after the window min %v, want 80ms (50ms aged out)", got)
	}
	if got := f.Get(t0.Add(time.Hour)); got != 0 {
		t.Fatalf("empty window gives %v", got)
	}
}
