// Package cli implements the swarm command line: one file per command, each
// with a newXCmd constructor and a runX function that does the work. It
// reaches a node only through node/apiclient; daemon.go and the embedded
// mode (embedded.go) are the only places that build a node.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/swarm-project/swarm/node/apitype"
)

// Exit codes, documented in `swarm --help` and the README.
const (
	ExitOK          = 0
	ExitError       = 1   // anything not listed below
	ExitUsage       = 2   // bad arguments, malformed CID or address, repo not initialised
	ExitNotFound    = 3   // no source had the content
	ExitInvalid     = 4   // content failed validation: not a manifest, hostile manifest
	ExitIO          = 5   // local filesystem: destination exists, not writable, disk full
	ExitRepo        = 6   // repo locked by another process
	ExitInterrupted = 130 // interrupted; run the same command again to resume
)

const exitCodesHelp = `Exit codes:
  0    success
  1    error not listed below
  2    usage: bad arguments, malformed CID or address, repo not initialised
  3    not found: no source had the content
  4    invalid content: not a manifest, or a manifest that failed validation
  5    local I/O: destination exists or is not writable, disk full
  6    repo in use by another process
  130  interrupted; run the same command again to resume`

// env carries what every command needs.
type env struct {
	repoFlag string
	stdout   io.Writer
	stderr   io.Writer
}

// defaultMemoryLimit is the Go heap's soft limit unless GOMEMLIMIT says
// otherwise: the garbage collector works harder near it, so a download's
// resident memory stays bounded whatever its size and number of sources.
const defaultMemoryLimit = 96 << 20

// Main runs the CLI and returns the process exit code.
func Main(args []string) int {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	e := &env{stdout: os.Stdout, stderr: os.Stderr}
	root := newRootCmd(e)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	fmt.Fprintln(os.Stderr, "swarm:", err)
	if ctx.Err() != nil {
		fmt.Fprintln(os.Stderr, "swarm: interrupted; run the same command again to resume")
		return ExitInterrupted
	}
	return exitCode(err)
}

func newRootCmd(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:   "swarm",
		Short: "Move big data fast: verified, multi-source, content-addressed transfers",
		Long: `swarm adds files and directory trees to a node under a content ID (CID) and
gets them back, verified chunk by chunk, from any node that has them.

The repo (identity, config, index) is --repo, else $SWARM_REPO, else ~/.swarm.
add, get and ls use a running daemon for the repo if there is one, and
otherwise run an embedded node for the duration of the command.

Logs go to stderr; set SWARM_LOG=debug|info|warn|error.

` + exitCodesHelp,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&e.repoFlag, "repo", "", "repo directory (default $SWARM_REPO or ~/.swarm)")
	root.AddCommand(newInitCmd(e), newDaemonCmd(e), newIDCmd(e), newAddCmd(e), newGetCmd(e),
		newLsCmd(e), newPinCmd(e), newEndpointCmd(e), newBansCmd(e), newStatusCmd(e))
	return root
}

// usageError marks bad arguments.
type usageError struct{ msg string }

func (u *usageError) Error() string { return u.msg }

func exitCode(err error) int {
	var ue *usageError
	var ae *apitype.Error
	switch {
	case errors.As(err, &ue):
		return ExitUsage
	case errors.Is(err, errRepoLocked):
		return ExitRepo
	case errors.As(err, &ae):
		return codeExit(ae.Code)
	case errors.Is(err, context.Canceled):
		return ExitInterrupted
	}
	return ExitError
}

func codeExit(code string) int {
	switch code {
	case apitype.CodeUsage:
		return ExitUsage
	case apitype.CodeNotFound:
		return ExitNotFound
	case apitype.CodeInvalid:
		return ExitInvalid
	case apitype.CodeIO:
		return ExitIO
	case apitype.CodeInterrupted:
		return ExitInterrupted
	}
	return ExitError
}
