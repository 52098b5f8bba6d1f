package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/swarm-project/swarm/bench/lab"
)

func cmdUp(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("up", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var lf linkFlags
	lf.register(fs)
	seeders := fs.Int("seeders", 1, "number of seeders in the star, each with the same link")
	seed := fs.Uint64("seed", 1, "random seed for loss, jitter and reordering")
	stats := fs.Duration("stats", 0, "print link counters at this interval (0: only at exit)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the forwarder to this file")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	spec, err := lf.spec()
	if err != nil {
		return err
	}
	cfg := lab.Config{Seed: *seed, Logger: slog.New(slog.NewTextHandler(stderr, nil))}
	for range *seeders {
		cfg.Seeders = append(cfg.Seeders, spec)
	}
	l, err := lab.Up(ctx, cfg)
	if err != nil {
		return err
	}
	defer l.Close()
	if *cpuProfile != "" {
		stop, err := startProfile(*cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	printNodes(stdout, l)
	waitAndReport(ctx, l, *stats, stdout)
	printStats(stdout, l)
	return nil
}

func printNodes(w io.Writer, l *lab.Lab) {
	fmt.Fprintf(w, "wan lab %s is up; Ctrl-C or SIGTERM tears it down.\n", l.ID)
	for _, n := range l.Nodes() {
		fmt.Fprintf(w, "  %-3s %-15s ip netns exec %s <command>\n", n.Name, n.Addr, n.Netns)
	}
}

func waitAndReport(ctx context.Context, l *lab.Lab, every time.Duration, w io.Writer) {
	if every <= 0 {
		<-ctx.Done()
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			printStats(w, l)
		}
	}
}

func printStats(w io.Writer, l *lab.Lab) {
	for _, s := range l.Stats() {
		fmt.Fprintf(w, "%-9s offered %d pkts %d B, delivered %d, queue drops %d, losses %d, max queue %d B\n",
			s.Name, s.Link.Packets, s.Link.Bytes, s.Released, s.Link.DroppedQueue, s.Link.DroppedLoss, s.Link.MaxQueueBytes)
	}
}
