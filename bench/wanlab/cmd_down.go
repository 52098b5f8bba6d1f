package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/swarm-project/swarm/bench/lab"
)

func cmdDown(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("down", flag.ContinueOnError)
	fs.SetOutput(stderr)
	all := fs.Bool("all", false, "remove every lab, including running ones, and every swl-* namespace")
	stateDir := fs.String("state-dir", "", "state directory (default /run/swarm-wanlab)")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if err := lab.Check(); err != nil {
		return err
	}
	removed, err := lab.Down(ctx, *stateDir, *all)
	if len(removed) == 0 {
		fmt.Fprintln(stdout, "no lab namespaces to remove")
	} else {
		fmt.Fprintln(stdout, "removed:", strings.Join(removed, " "))
	}
	return err
}
