package storetest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/swarm-project/swarm/catalog"
	"github.com/swarm-project/swarm/chunker"
	"github.com/swarm-project/swarm/node/store/storecore"
)

func wantPins(t *testing.T, s catalog.Store, want ...catalog.Pin) {
	t.Helper()
	wantList(t, s.Pins, func(a, b catalog.Pin) bool {
		return a.Name == b.Name && a.Root.Equals(b.Root) && a.Added.Equal(b.Added)
	}, want...)
}

func testPins(t *testing.T, s catalog.Store) {
	ctx := t.Context()
	wantPins(t, s)
	now := time.Now() // with a monotonic reading, which the store drops
	long := strings.Repeat("x", storecore.MaxPinNameLen)
	b := catalog.Pin{Name: "b", Root: chunker.ChunkCID([]byte("b")), Added: now}
	a := catalog.Pin{Name: "a/é", Root: chunker.ChunkCID([]byte("a")), Added: now.Add(-time.Hour)}
	z := catalog.Pin{Name: long, Root: chunker.ChunkCID([]byte("z"))} // zero time stays zero
	for _, p := range []catalog.Pin{b, z, a} {
		if err := s.AddPin(ctx, p); err != nil {
			t.Fatalf("AddPin(%q): %v", p.Name, err)
		}
	}
	wantPins(t, s, a, b, z)

	b2 := catalog.Pin{Name: "b", Root: chunker.ChunkCID([]byte("b2")), Added: now.Add(time.Minute)}
	if err := s.AddPin(ctx, b2); err != nil {
		t.Fatal(err)
	}
	wantPins(t, s, a, b2, z)

	if err := s.RemovePin(ctx, "a/é"); err != nil {
		t.Fatal(err)
	}
	wantPins(t, s, b2, z)
	if err := s.RemovePin(ctx, "a/é"); !errors.Is(err, catalog.ErrNotFound) {
		t.Fatalf("RemovePin of a missing pin = %v, want ErrNotFound", err)
	}
}

func testPinsInvalid(t *testing.T, s catalog.Store) {
	root := chunker.ChunkCID([]byte("root"))
	for _, p := range []catalog.Pin{
		{Name: "", Root: root},
		{Name: strings.Repeat("x", storecore.MaxPinNameLen+1), Root: root},
		{Name: "a\x00b", Root: root},
		{Name: "no root"},
	} {
		if err := s.AddPin(t.Context(), p); !errors.Is(err, storecore.ErrInvalid) {
			t.Errorf("AddPin(%q) = %v, want ErrInvalid", p.Name, err)
		}
	}
	wantPins(t, s)
}
