// Command localbench measures CPU efficiency on loopback (make
// bench-local): bytes moved per CPU-second, both ends together, for a
// swarm transfer and for libp2p TCP+TLS+yamux, libp2p QUIC and iperf3 TCP.
// It writes bench/results/<date>-local.json and the loopback section of
// docs/benchmarks.md.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "localbench:", err)
		os.Exit(1)
	}
}
