package storecore

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/ipfs/go-cid"
	"github.com/swarm-project/swarm/catalog"
	"github.com/swarm-project/swarm/chunker"
)

// fakeBlobs answers Get from a map, or with err if set.
type fakeBlobs struct {
	data map[cid.Cid][]byte
	err  error
}

func (f fakeBlobs) Get(c cid.Cid) ([]byte, error) {
	if f.err != nil {
		return nil, f.err
	}
	if d, ok := f.data[c]; ok {
		return d, nil
	}
	return nil, catalog.ErrNotFound
}

// A location that cannot be read for another reason than a change (here
// the blob store failing) is kept, and the error is not ErrStale.
func TestReadChunkKeepsUnreadable(t *testing.T) {
	c := chunker.ChunkCID([]byte("x"))
	ioErr := errors.New("disk on fire")
	var dropped []catalog.Location
	_, err := ReadChunk(t.Context(), c, []catalog.Location{{Kind: catalog.Blob, Size: 1}},
		fakeBlobs{err: ioErr}, func(l catalog.Location) error { dropped = append(dropped, l); return nil })
	if !errors.Is(err, ioErr) || errors.Is(err, catalog.ErrStale) || len(dropped) != 0 {
		t.Fatalf("err %v, dropped %v; want the I/O error and nothing dropped", err, dropped)
	}
}

func TestReadInPlace(t *testing.T) {
	dir := t.TempDir()
	data := []byte("0123456789")
	path := filepath.Join(dir, "f")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(path)
	good := catalog.Location{Kind: catalog.InPlace, Path: path, Offset: 2, Size: 4,
		FileSize: fi.Size(), ModTime: fi.ModTime().UnixNano()}
	c := chunker.ChunkCID(data[2:6])
	if got, err := ReadInPlace(c, good); err != nil || string(got) != "2345" {
		t.Fatalf("ReadInPlace = %q, %v", got, err)
	}
	// A new mtime or size alone is no reason: the bytes still hash right.
	for _, l := range []catalog.Location{{ModTime: good.ModTime + 1}, {FileSize: good.FileSize + 1}} {
		l.Kind, l.Path, l.Offset, l.Size = good.Kind, good.Path, good.Offset, good.Size
		if got, err := ReadInPlace(c, l); err != nil || string(got) != "2345" {
			t.Errorf("recorded %+v: ReadInPlace = %q, %v; want the chunk", l, got, err)
		}
	}
	stale := map[string]catalog.Location{}
	l := good
	l.Offset = 7 // past the end: a short read
	stale["short"] = l
	l = good
	l.Path = filepath.Join(path, "under-a-file")
	stale["not a directory"] = l
	l = good
	l.Path = dir
	stale["directory"] = l
	for name, l := range stale {
		var se *StaleError
		if _, err := ReadInPlace(c, l); !errors.As(err, &se) || !errors.Is(err, catalog.ErrStale) {
			t.Errorf("%s: err = %v, want a StaleError", name, err)
		}
	}
}
