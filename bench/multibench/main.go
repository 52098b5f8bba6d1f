// Command multibench runs the multi-source download benchmarks (make
// bench-multi): on the WAN lab (bench/lab), four seeders capped at a
// quarter of the link each, seeders with different rates, RTTs and losses,
// two peers plus an HTTP endpoint against aria2c, Kubo's `ipfs get` from
// three providers beside swarm on the same links, a seeder killed
// mid-transfer and a seeder that lies; on loopback, the peak memory of a
// big download from many sources. It drives swarm only through its CLI,
// writes bench/results/<date>-multi-<scenario>.json and the multibench
// section of docs/benchmarks.md.
//
// `multibench liar` is the lying seeder: a libp2p host speaking
// /swarm/chunk/1.0.0 that proxies a real daemon and corrupts every chunk.
//
// Lab scenarios need root (without it they are skipped with a message);
// the memory scenario does not.
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
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	var err error
	if len(os.Args) > 1 && os.Args[1] == "liar" {
		err = runLiar(ctx, os.Args[2:])
	} else {
		lab.TuneProcess(2 << 30)
		err = run(ctx, os.Args[1:])
	}
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "multibench:", err)
		os.Exit(1)
	}
}
