// Command wanbench runs the WAN benchmark profiles (make bench-wan): for
// each profile it brings up an emulated link with bench/lab and moves the
// same file over it with swarm and with the tools users would use instead
// (iperf3 TCP CUBIC and BBR, nginx+curl, aria2c with 16 connections, swarm
// forced over libp2p QUIC), then writes JSON under bench/results/ and the
// WAN section of docs/benchmarks.md. See docs/wanlab.md.
//
// It needs root; without root, iproute2 or /dev/net/tun it prints why and
// exits 0 (skipped). Missing tools are installed with apt-get.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/swarm-project/swarm/bench/lab"
)

func main() {
	lab.TuneProcess(2 << 30)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "wanbench:", err)
		os.Exit(1)
	}
}
