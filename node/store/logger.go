package store

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
)

// badgerLogger bridges Badger's logger to slog. Badger's errors and warnings
// keep their level; its informational messages (compactions, flushes,
// replay progress) go out at debug level; its debug messages are dropped.
type badgerLogger struct{ log *slog.Logger }

func (l badgerLogger) Errorf(f string, args ...any)   { l.emit(slog.LevelError, f, args) }
func (l badgerLogger) Warningf(f string, args ...any) { l.emit(slog.LevelWarn, f, args) }
func (l badgerLogger) Infof(f string, args ...any)    { l.emit(slog.LevelDebug, f, args) }
func (l badgerLogger) Debugf(string, ...any)          {}

func (l badgerLogger) emit(level slog.Level, format string, args []any) {
	ctx := context.Background()
	if !l.log.Enabled(ctx, level) {
		return
	}
	msg := strings.TrimSpace(fmt.Sprintf(format, args...))
	l.log.Log(ctx, level, "badger: "+msg)
}
