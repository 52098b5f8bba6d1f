package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/swarm-project/swarm/node/apitype"
)

// progressBar draws one self-overwriting line on a terminal; elsewhere it
// stays silent (the command prints a one-line summary instead).
type progressBar struct {
	w     io.Writer
	on    bool
	verb  string
	mu    sync.Mutex
	drawn bool
}

func newProgressBar(w io.Writer, enabled bool, verb string) *progressBar {
	return &progressBar{w: w, on: enabled && isTerminal(w), verb: verb}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func (b *progressBar) update(p apitype.Progress) {
	if !b.on {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.drawn = true
	fmt.Fprintf(b.w, "\r\033[K%s", progressLine(b.verb, p))
}

func progressLine(verb string, p apitype.Progress) string {
	var sb strings.Builder
	pct := 100.0
	if p.Total > 0 {
		pct = float64(p.Bytes) * 100 / float64(p.Total)
	}
	fmt.Fprintf(&sb, "%s %s / %s  %5.1f%%", verb, humanBytes(p.Bytes), humanBytes(p.Total), pct)
	if p.Seconds > 0 {
		rate := float64(p.Bytes-p.Resumed) / p.Seconds
		fmt.Fprintf(&sb, "  %s/s", humanBytes(int64(rate)))
		if rate > 0 && p.Total > p.Bytes {
			eta := time.Duration(float64(p.Total-p.Bytes) / rate * float64(time.Second))
			fmt.Fprintf(&sb, "  ETA %s", eta.Round(time.Second))
		}
	}
	active := 0
	for _, s := range p.Sources {
		if s.Bytes > 0 && s.Dropped == "" {
			active++
		}
	}
	if len(p.Sources) > 0 {
		fmt.Fprintf(&sb, "  %d sources", active)
	}
	return sb.String()
}

func (b *progressBar) finish() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.drawn {
		fmt.Fprintln(b.w)
	}
}

func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
