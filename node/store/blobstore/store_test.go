package blobstore

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/swarm-project/swarm/catalog"
	"github.com/swarm-project/swarm/chunker"
)

func newStore(t *testing.T) *Store {
	return New(filepath.Join(t.TempDir(), "blobs"), slog.New(slog.DiscardHandler))
}

func TestPath(t *testing.T) {
	s := New("/r", nil)
	c := chunker.ChunkCID([]byte("x"))
	name := c.String()
	want := filepath.Join("/r", name[len(name)-3:len(name)-1], name)
	if got := s.Path(c); got != want {
		t.Fatalf("Path = %s, want %s", got, want)
	}
}

func TestPutGet(t *testing.T) {
	s := newStore(t)
	data := []byte("hello")
	c := chunker.ChunkCID(data)
	if n, b, err := s.Stats(); err != nil || n != 0 || b != 0 {
		t.Fatalf("Stats of a store never written = %d, %d, %v", n, b, err)
	}
	if _, err := s.Get(c); !errors.Is(err, catalog.ErrNotFound) {
		t.Fatalf("Get = %v, want ErrNotFound", err)
	}
	if err := s.Put(c, data); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Get(c); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("Get = %q, %v", got, err)
	}
	if has, err := s.Has(c); !has || err != nil {
		t.Fatalf("Has = %v, %v", has, err)
	}
	if err := s.Put(c, []byte("other")); !errors.Is(err, chunker.ErrHashMismatch) {
		t.Fatalf("Put of wrong data = %v", err)
	}
	entries, _ := os.ReadDir(filepath.Dir(s.Path(c)))
	if len(entries) != 1 {
		t.Fatalf("%d files in the shard, want 1 (no temporary file left)", len(entries))
	}
}

// Stats walks once, skipping temporary and foreign files, then counts.
func TestStats(t *testing.T) {
	s := newStore(t)
	a, b := []byte("aaa"), []byte("bbbbb")
	for _, d := range [][]byte{a, b} {
		if err := s.Put(chunker.ChunkCID(d), d); err != nil {
			t.Fatal(err)
		}
	}
	shard := filepath.Dir(s.Path(chunker.ChunkCID(a)))
	for _, junk := range []string{tempPrefix + "123", "README"} {
		if err := os.WriteFile(filepath.Join(shard, junk), []byte("junk"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	wantStats(t, s, 2, 8)
	if err := s.Put(chunker.ChunkCID(a), a); err != nil { // again: no change
		t.Fatal(err)
	}
	wantStats(t, s, 2, 8)
	c := []byte("c")
	if err := s.Put(chunker.ChunkCID(c), c); err != nil {
		t.Fatal(err)
	}
	wantStats(t, s, 3, 9)
	if err := os.WriteFile(s.Path(chunker.ChunkCID(c)), []byte("X"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(chunker.ChunkCID(c)); !errors.Is(err, chunker.ErrHashMismatch) {
		t.Fatalf("Get of a corrupted block = %v", err)
	}
	wantStats(t, s, 2, 8)
}

func wantStats(t *testing.T, s *Store, n, b int64) {
	t.Helper()
	gn, gb, err := s.Stats()
	if err != nil || gn != n || gb != b {
		t.Fatalf("Stats = %d blocks, %d bytes, %v; want %d, %d", gn, gb, err, n, b)
	}
}

// A file larger than MaxBlockSize is reported as corrupted, not read.
func TestOversizedFile(t *testing.T) {
	s := newStore(t)
	c := chunker.ChunkCID([]byte("small"))
	path := s.Path(c)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, MaxBlockSize+1); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(c); !errors.Is(err, chunker.ErrHashMismatch) {
		t.Fatalf("Get = %v, want ErrHashMismatch", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("oversized file not removed: %v", err)
	}
}

// Concurrent Puts of the same and different blocks count each block once.
func TestConcurrentPut(t *testing.T) {
	s := newStore(t)
	wantStats(t, s, 0, 0)
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			d := fmt.Appendf(nil, "block %d", i%4)
			if err := s.Put(chunker.ChunkCID(d), d); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	wantStats(t, s, 4, 4*7)
}
