package node

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

func TestSendTurnsFirstInFirstOut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var turns sendTurns
		ctx := context.Background()
		release, err := turns.acquire(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		var order []int
		var wg sync.WaitGroup
		for i := range 5 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rel, err := turns.acquire(ctx, nil)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				order = append(order, i)
				mu.Unlock()
				time.Sleep(time.Millisecond) // holds the turn for a while
				rel()
			}()
			synctest.Wait() // goroutine i is queued before i+1 starts
		}
		release()
		wg.Wait()
		for i, v := range order {
			if v != i {
				t.Fatalf("turns taken in order %v, want 0..4", order)
			}
		}
		if len(turns.m) != 0 {
			t.Fatalf("%d connections left in the table after every turn ended", len(turns.m))
		}
	})
}

func TestSendTurnsCancelledWaiterLeaves(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var turns sendTurns
		release, err := turns.acquire(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() {
			_, err := turns.acquire(ctx, nil)
			done <- err
		}()
		synctest.Wait()
		cancel()
		if err := <-done; err == nil {
			t.Fatal("a cancelled waiter got the turn")
		}
		release()
		if len(turns.m) != 0 {
			t.Fatalf("%d connections left in the table", len(turns.m))
		}
	})
}
