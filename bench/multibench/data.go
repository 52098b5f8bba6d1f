package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"syscall"
)

// dataSet is the file every case moves.
type dataSet struct {
	dir  string // served by nginx
	name string
	path string
	size int64
}

// makeDataSet writes size pseudo-random bytes to dir/data.bin.
func makeDataSet(dir string, size int64) (*dataSet, error) {
	d := &dataSet{dir: filepath.Join(dir, "data"), name: "data.bin", size: size}
	d.path = filepath.Join(d.dir, d.name)
	if err := os.MkdirAll(d.dir, 0o755); err != nil {
		return nil, err
	}
	return d, writeRandom(d.path, size, 2)
}

// randRegion is the unit of work of writeRandom.
const randRegion = 64 << 20

// writeRandom writes size bytes of ChaCha8 output to path, region by
// region on workers goroutines (each region seeded by its index, so the
// file is the same whatever the number of workers), and syncs it.
func writeRandom(path string, size int64, workers int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	regions := (size + randRegion - 1) / randRegion
	next := make(chan int64)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			buf := make([]byte, 1<<20)
			for reg := range next {
				if errs[w] == nil {
					errs[w] = writeRegion(f, buf, reg, min(randRegion, size-reg*randRegion))
				}
			}
		})
	}
	for reg := range regions {
		next <- reg
	}
	close(next)
	wg.Wait()
	err = errors.Join(errs...)
	if err == nil {
		err = f.Sync()
	}
	return errors.Join(err, f.Close())
}

func writeRegion(f *os.File, buf []byte, reg, n int64) error {
	var seed [32]byte
	binary.LittleEndian.PutUint64(seed[:], uint64(reg))
	copy(seed[8:], "swarm multibench")
	src := rand.NewChaCha8(seed)
	off := reg * randRegion
	for n > 0 {
		b := buf[:min(int64(len(buf)), n)]
		_, _ = src.Read(b)
		if _, err := f.WriteAt(b, off); err != nil {
			return err
		}
		off += int64(len(b))
		n -= int64(len(b))
	}
	return nil
}

// freeBytes is the space available to us on dir's file system.
func freeBytes(dir string) (int64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, err
	}
	return int64(st.Bavail) * st.Bsize, nil
}

// needSpace fails unless dir has room for need bytes plus 1 GB.
func needSpace(dir string, need int64) error {
	free, err := freeBytes(dir)
	if err != nil {
		return err
	}
	if free < need+1e9 {
		return fmt.Errorf("%s has %.1f GB free, needs %.1f GB", dir, float64(free)/1e9, float64(need+1e9)/1e9)
	}
	return nil
}

// samePrefix compares the file got with the start of want and returns
// the length of got when it is a prefix of want; a missing got is empty.
func samePrefix(got, want string) (int64, error) {
	g, err := os.Open(got)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	defer g.Close()
	w, err := os.Open(want)
	if err != nil {
		return 0, err
	}
	defer w.Close()
	gb, wb := make([]byte, 1<<20), make([]byte, 1<<20)
	var n int64
	for {
		k, err := io.ReadFull(g, gb)
		if k > 0 {
			if m, _ := io.ReadFull(w, wb[:k]); m < k || !bytes.Equal(gb[:k], wb[:k]) {
				return n, fmt.Errorf("%s differs from %s in bytes %d to %d", got, want, n, n+int64(k))
			}
			n += int64(k)
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}
