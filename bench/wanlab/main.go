// Command wanlab brings an emulated wide-area network up and down on this
// machine (see docs/wanlab.md):
//
//	go run ./bench/wanlab up --rate 100 --rtt 100 --loss 1 --queue-ms 100
//	go run ./bench/wanlab down [--all]
//
// Exit codes: 0 success, 1 failure, 2 bad usage, 3 the lab cannot run here
// (not root, no ip command or no TUN device).
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/swarm-project/swarm/bench/lab"
)

func main() {
	lab.TuneProcess(1 << 30)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
