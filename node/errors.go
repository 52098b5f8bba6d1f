package node

import (
	"context"
	"errors"
	"fmt"

	"github.com/swarm-project/swarm/chunker"
	"github.com/swarm-project/swarm/chunker/manifest"
	"github.com/swarm-project/swarm/node/apitype"
	"github.com/swarm-project/swarm/node/config"
	"github.com/swarm-project/swarm/node/store"
	"github.com/swarm-project/swarm/swarm/fetch"
)

// ErrBadRequest marks a malformed request (bad CID, bad path, bad multiaddr).
var ErrBadRequest = errors.New("bad request")

// APIError classifies err for the API and the CLI's exit codes. It returns
// nil for a nil error.
func APIError(err error) *apitype.Error {
	if err == nil {
		return nil
	}
	var ae *apitype.Error
	if errors.As(err, &ae) {
		return ae
	}
	return &apitype.Error{Code: codeOf(err), Message: err.Error()}
}

func codeOf(err error) string {
	var de *fetch.DestError
	switch {
	case errors.Is(err, context.Canceled):
		return apitype.CodeInterrupted
	case errors.Is(err, ErrBadRequest), errors.Is(err, chunker.ErrChunkSize):
		return apitype.CodeUsage
	case errors.Is(err, manifest.ErrNotManifest), errors.Is(err, manifest.ErrInvalid),
		errors.Is(err, chunker.ErrUnsupportedCID):
		return apitype.CodeInvalid
	case errors.Is(err, fetch.ErrUnavailable), errors.Is(err, fetch.ErrNoSources):
		return apitype.CodeNotFound
	case errors.As(err, &de), errors.Is(err, fetch.ErrDestExists), errors.Is(err, fetch.ErrNoSpace):
		return apitype.CodeIO
	case errors.Is(err, config.ErrNotInitialized):
		return apitype.CodeUsage
	}
	return apitype.CodeInternal
}

func badRequest(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrBadRequest, fmt.Sprintf(format, a...))
}

// ErrRepoLocked: another process (usually a daemon) has the repo open.
var ErrRepoLocked = store.ErrLocked

// LockedError is the ErrRepoLocked a node's opening returns, naming the
// process that holds the repo when the lock file does.
type LockedError = store.LockedError
