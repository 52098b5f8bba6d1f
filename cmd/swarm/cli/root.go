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
	markUsageErrors(root)
	return root
}

// markUsageErrors makes cobra's own errors (unknown flag or command,
// wrong number of arguments) usage errors, exit code 2 as documented;
// they were plain errors, exit 1.
func markUsageErrors(root *cobra.Command) {
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{err.Error()} })
	group(root)
	var wrap func(c *cobra.Command)
	wrap = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if sub.HasSubCommands() && sub.Args == nil && sub.RunE == nil && sub.Run == nil {
				group(sub)
			} else if args := sub.Args; args != nil {
				sub.Args = func(cmd *cobra.Command, a []string) error {
					if err := args(cmd, a); err != nil {
						return &usageError{err.Error()}
					}
					return nil
				}
			}
			wrap(sub)
		}
	}
	wrap(root)
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

// group makes a command that only holds subcommands print its help when
// run alone and refuse an unknown subcommand (cobra printed the help and
// exited 0).
func group(c *cobra.Command) {
	c.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
	c.Args = func(cmd *cobra.Command, args []string) error {
		if len(args) > 0 {
			return &usageError{fmt.Sprintf("unknown command %q for %q; see %s --help", args[0], cmd.CommandPath(), cmd.CommandPath())}
		}
		return nil
	}
}
