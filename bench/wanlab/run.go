package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/swarm-project/swarm/bench/lab"
)

const usage = `usage:
  wanlab up [flags]     bring a lab up and keep it until Ctrl-C or SIGTERM
  wanlab down [--all]   remove labs whose process died (--all: every lab)
  wanlab calibrate      measure how accurately each rate is emulated here
run 'wanlab up -h' for the link flags`

// Exit codes.
const (
	exitOK          = 0
	exitFail        = 1
	exitUsage       = 2
	exitUnavailable = 3
)

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return exitUsage
	}
	var err error
	switch args[0] {
	case "up":
		err = cmdUp(ctx, args[1:], stdout, stderr)
	case "calibrate":
		err = cmdCalibrate(ctx, args[1:], stdout, stderr)
	case "down":
		err = cmdDown(ctx, args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprintln(stdout, usage)
		return exitOK
	default:
		fmt.Fprintf(stderr, "wanlab: unknown command %q\n%s\n", args[0], usage)
		return exitUsage
	}
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errUsage):
		return exitUsage
	case errors.Is(err, lab.ErrUnavailable):
		fmt.Fprintln(stderr, "wanlab:", err)
		return exitUnavailable
	default:
		fmt.Fprintln(stderr, "wanlab:", err)
		return exitFail
	}
}

var errUsage = errors.New("usage")
