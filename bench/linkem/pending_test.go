package linkem

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestPendingOrdersByDueThenArrival(t *testing.T) {
	var p Pending[int]
	r := rand.New(rand.NewPCG(1, 1))
	type item struct {
		due time.Duration
		idx int
	}
	var want []item
	for i := range 5000 {
		due := time.Duration(r.IntN(300))
		p.Push(due, i)
		want = append(want, item{due, i})
	}
	slices.SortStableFunc(want, func(a, b item) int { return int(a.due - b.due) })
	for i, w := range want {
		d, _ := p.NextDue()
		if d != w.due {
			t.Fatalf("item %d: NextDue %v, want %v", i, d, w.due)
		}
		v, ok := p.PopDue(w.due)
		if !ok || v != w.idx {
			t.Fatalf("item %d: PopDue = %d,%v, want %d", i, v, ok, w.idx)
		}
	}
	if p.Len() != 0 {
		t.Errorf("Len = %d after draining", p.Len())
	}
}

func TestPendingPopDueWaits(t *testing.T) {
	var p Pending[string]
	p.Push(10, "a")
	p.Push(5, "b")
	if _, ok := p.PopDue(4); ok {
		t.Fatal("popped an item before its due time")
	}
	if v, ok := p.PopDue(5); !ok || v != "b" {
		t.Fatalf("PopDue(5) = %q,%v, want b", v, ok)
	}
	if _, ok := p.PopDue(9); ok {
		t.Fatal("popped a at 9, due at 10")
	}
	if v, ok := p.PopDue(100); !ok || v != "a" {
		t.Fatalf("PopDue(100) = %q,%v, want a", v, ok)
	}
	if _, ok := p.NextDue(); ok {
		t.Error("NextDue on empty queue reported an item")
	}
}

func BenchmarkLinkSend(b *testing.B) {
	l, _ := New(Config{Rate: 1000 * mbit, Delay: 50 * time.Millisecond, Loss: LossSpec{Prob: 0.01}}, 1)
	for i := 0; b.Loop(); i++ {
		l.Send(time.Duration(i)*12*time.Microsecond, mtu)
	}
}

func BenchmarkPendingInOrder(b *testing.B) {
	var p Pending[int]
	for i := 0; b.Loop(); i++ {
		p.Push(time.Duration(i), i)
		if p.Len() > 10000 {
			p.PopDue(time.Duration(i))
		}
	}
}
