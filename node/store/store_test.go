package store_test

import (
	"encoding/binary"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/swarm-project/swarm/catalog"
	"github.com/swarm-project/swarm/chunker"
	"github.com/swarm-project/swarm/node/store"
	"github.com/swarm-project/swarm/node/store/storetest"
)

func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
}

func open(t testing.TB, dir string) *store.Store {
	t.Helper()
	s, err := store.Open(dir, testLogger(t))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestSuite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) catalog.Store { return open(t, t.TempDir()) })
}

func TestLockedTwice(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	_, err := store.Open(dir, testLogger(t))
	if !errors.Is(err, store.ErrLocked) {
		t.Fatalf("second Open = %v, want ErrLocked", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "another swarm process") || !strings.Contains(msg, dir) {
		t.Errorf("message %q should say another swarm process uses %s", msg, dir)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	open(t, dir) // free again once closed
}

func TestSchemaMismatch(t *testing.T) {
	dir := t.TempDir()
	if err := open(t, dir).Close(); err != nil {
		t.Fatal(err)
	}
	future := binary.BigEndian.AppendUint32(nil, store.SchemaVersion+1)
	if err := store.SetRawKey(dir, store.SchemaKey, future); err != nil {
		t.Fatal(err)
	}
	_, err := store.Open(dir, testLogger(t))
	if !errors.Is(err, store.ErrSchema) {
		t.Fatalf("Open of a version %d index = %v, want ErrSchema", store.SchemaVersion+1, err)
	}
	if !strings.Contains(err.Error(), "version 2") {
		t.Errorf("message %q should name the version found", err)
	}
}

// An index with data but no schema version was not written by us.
func TestSchemaMissing(t *testing.T) {
	dir := t.TempDir()
	if err := store.SetRawKey(dir, []byte("foreign"), []byte("x")); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Open(dir, testLogger(t)); !errors.Is(err, store.ErrSchema) {
		t.Fatalf("Open of a foreign index = %v, want ErrSchema", err)
	}
}

func TestCorruptValue(t *testing.T) {
	dir := t.TempDir()
	c := chunker.ChunkCID([]byte("x"))
	if err := open(t, dir).Close(); err != nil {
		t.Fatal(err)
	}
	if err := store.SetRawKey(dir, store.LocationKey(c), []byte{1, 1}); err != nil {
		t.Fatal(err)
	}
	s := open(t, dir)
	if _, err := s.Locations(t.Context(), c); !errors.Is(err, store.ErrCorrupt) {
		t.Fatalf("Locations of a corrupted value = %v, want ErrCorrupt", err)
	}
}
