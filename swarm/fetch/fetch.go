// Package fetch runs a download: it resolves nothing itself but, given a
// decoded manifest, a destination and a set of sources, runs a worker per
// source slot under one context, verifies every chunk before it is written,
// journals verified chunks so a restart resumes, and renames the result into
// place only when complete. Which chunk goes to which source is decided by
// the pure scheduler in package swarm.
package fetch

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/ipfs/go-cid"

	"github.com/swarm-project/swarm/chunker/manifest"
)

// Source is anything that can hand over a block by CID: a libp2p peer, the
// local store, an HTTP endpoint. Fetch returns an error wrapping ErrNotHave
// when the source lacks the block. Implementations must be safe for
// concurrent calls.
type Source interface {
	Name() string
	Fetch(ctx context.Context, c cid.Cid) ([]byte, error)
}

// Haver is a Source that can tell which chunks of this download it holds:
// has is nil when it holds them all; growing says it is itself downloading
// and may hold more later (it is asked again every few seconds).
type Haver interface {
	Have(ctx context.Context) (has func(idx int) bool, growing bool, err error)
}

// Journal persists which chunks of this download are verified and durably
// written. Add is called only after the chunks' bytes were synced to disk.
type Journal interface {
	Load(ctx context.Context) ([]uint64, error)
	Add(ctx context.Context, idx []uint64) error
	Reset(ctx context.Context) error
}

// Defaults.
const (
	DefaultDepth          = 32       // most requests in flight per source for 1 MiB chunks; the actual depth follows its bandwidth-delay product
	maxInFlightBytes      = 32 << 20 // per source: bounds memory, and covers 1 Gbit/s x 250 ms
	maxDepth              = 512
	DefaultRequestTimeout = 30 * time.Minute // a backstop: sources enforce their own idle timeouts
	commitEvery           = 100 * time.Millisecond
	progressEvery         = 250 * time.Millisecond
	haveEvery             = 2 * time.Second  // growing sources are asked again this often
	haveTimeout           = 10 * time.Second // for one have query
	stallTimeout          = 60 * time.Second // nothing in flight, nothing done: give up waiting for growing sources
)

// Config describes one download.
type Config struct {
	Manifest *manifest.Manifest
	Dest     string // final path of the file or directory; must not exist
	Sources  []Source
	// More, if set, delivers further sources while the download runs
	// (e.g. a DHT search still going); the download is not declared stuck
	// until it is closed.
	More           <-chan Source
	Journal        Journal
	Depth          int           // most concurrent requests per source (DefaultDepth)
	RequestTimeout time.Duration // per chunk request (DefaultRequestTimeout)
	Log            *slog.Logger
	// Progress, if set, is called from one goroutine every ~250 ms and
	// once at the end.
	Progress func(Progress)
	// Corrupt, if set, is told when a source is dropped for sending bytes
	// that fail verification (once per source), so the caller can remember
	// it for later downloads. Called from the source's request goroutine,
	// without the engine's lock.
	Corrupt func(src Source, err error)
	// Started, if set, is when the first chunk was asked for, before Run
	// (a push requested with the manifest): elapsed time and goodput count
	// from it rather than from Run's start.
	Started time.Time
	// Committed, if set, is told which verified chunks are now durable in
	// the partial files, so the node can serve them to other downloaders
	// before its own download ends. Called from one goroutine.
	Committed func([]WrittenChunk)
}

// WrittenChunk is a verified chunk in a partial file of a running download.
type WrittenChunk struct {
	Index  uint64 // position in the download's chunk list
	CID    cid.Cid
	Path   string
	Offset int64
	Size   int
}

// SourceStat is what one source contributed.
type SourceStat struct {
	Name    string `json:"name"`
	Bytes   int64  `json:"bytes"`
	Chunks  int    `json:"chunks"`
	Dropped string `json:"dropped,omitempty"` // why it was dropped, if it was
}

// Progress is a snapshot of a running download.
type Progress struct {
	Bytes   int64 // verified bytes, including resumed ones
	Total   int64
	Resumed int64 // bytes found verified in the journal at start
	Elapsed time.Duration
	Sources []SourceStat
}

// Result summarises a finished (or failed) download.
type Result struct {
	Dest     string
	Bytes    int64 // bytes fetched in this run
	Resumed  int64
	Total    int64
	Duration time.Duration
	Sources  []SourceStat
}

func (c *Config) check() error {
	if c.Manifest == nil {
		return fmt.Errorf("fetch: no manifest")
	}
	if len(c.Sources) == 0 && c.More == nil && c.Manifest.NumChunks() > 0 {
		return ErrNoSources
	}
	if c.Depth <= 0 {
		c.Depth = defaultDepth(c.Manifest)
	}
	if c.RequestTimeout <= 0 {
		c.RequestTimeout = DefaultRequestTimeout
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	return nil
}

// Run performs the download. On error the partial data and the journal are
// left in place so that running it again resumes.
func Run(ctx context.Context, cfg Config) (Result, error) {
	if err := cfg.check(); err != nil {
		return Result{}, err
	}
	l, err := newLayout(cfg.Manifest, cfg.Dest)
	if err != nil {
		return Result{}, err
	}
	done, err := loadJournal(ctx, cfg.Journal, l)
	if err != nil {
		return Result{}, err
	}
	e := newEngine(cfg, l, done)
	if err := e.checkSpace(); err != nil {
		return e.result(), err
	}
	if err := l.prepare(len(done) == 0); err != nil {
		return e.result(), err
	}
	if err := e.run(ctx); err != nil {
		return e.result(), err
	}
	if err := l.finish(); err != nil {
		return e.result(), err
	}
	return e.result(), nil
}

// loadJournal returns the chunks already done. A journal without its
// partial data (deleted by hand) is void: it is reset, never trusted.
func loadJournal(ctx context.Context, j Journal, l *layout) ([]uint64, error) {
	done, err := j.Load(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading download journal: %w", err)
	}
	if len(done) == 0 {
		return nil, nil
	}
	if _, err := os.Lstat(l.partial); err == nil {
		return done, nil
	}
	if err := j.Reset(ctx); err != nil {
		return nil, fmt.Errorf("resetting download journal: %w", err)
	}
	return nil, nil
}

// defaultDepth allows about maxInFlightBytes per source: DefaultDepth
// requests of full chunks, more for trees of small files.
func defaultDepth(m *manifest.Manifest) int {
	n := m.NumChunks()
	if n == 0 {
		return DefaultDepth
	}
	avg := max(1, m.TotalSize()/n)
	return int(min(max(maxInFlightBytes/avg, DefaultDepth), maxDepth))
}
