package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/swarm-project/swarm/bench/lab"
	"github.com/swarm-project/swarm/bench/lab/probe"
)

// cmdCalibrate finds how accurately the lab emulates each rate here: for
// each rate it offers 10% more UDP than the bottleneck for a few seconds
// and reports the measured rate, the RTT of probes sent meanwhile, and the
// CPU the whole process (forwarder and both probe ends) used.
func cmdCalibrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("calibrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	rates := fs.String("rates", "100,200,500,800,1000", "bottleneck rates to try, Mbit/s")
	rtt := fs.Duration("rtt", 100*time.Millisecond, "round-trip time of the link")
	dur := fs.Duration("duration", 4*time.Second, "blast duration per rate")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	fmt.Fprintf(stdout, "%8s %10s %8s %8s %10s %10s %9s\n", "rate", "measured", "error%", "loss%", "rtt-med", "rtt-p95", "cpu%")
	for _, f := range strings.Split(*rates, ",") {
		r, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil {
			return fmt.Errorf("%w: rate %q", errUsage, f)
		}
		if err := calibrateOne(ctx, r, *rtt, *dur, stdout, stderr); err != nil {
			return err
		}
	}
	return nil
}

func calibrateOne(ctx context.Context, rate float64, rtt, dur time.Duration, stdout, stderr io.Writer) error {
	cfg := lab.Config{Seeders: []lab.LinkSpec{lab.Symmetric(lab.Path{RateMbit: rate, RTT: rtt, QueueMs: 50}.Link())},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	l, err := lab.Up(ctx, cfg)
	if err != nil {
		return err
	}
	defer l.Close()
	src, err := probe.Open(l, l.Seeders[0], 0)
	if err != nil {
		return err
	}
	defer src.Close()
	sink, err := probe.Open(l, l.Downloader, 9000)
	if err != nil {
		return err
	}
	defer sink.Close()
	const size = 1372
	offered := rate * 1.1e6
	count := int(offered * dur.Seconds() / (8 * (size + probe.IPUDPHeader)))
	rtts := make(chan []time.Duration, 1)
	go func() { rtts <- loadedRTT(l, dur) }()
	cpu0 := cpuTime()
	start := time.Now()
	res, err := probe.Blast(src, sink, probe.BlastConfig{Rate: int64(offered), Size: size, Count: count}, time.Second)
	cpu := (cpuTime() - cpu0).Seconds() / time.Since(start).Seconds()
	if err != nil {
		return err
	}
	rt := <-rtts
	if st := l.Stats()[1]; verbose {
		fmt.Fprintf(stderr, "lag %v sent %d received %d; link offered %d delivered %d queue drops %d released %d\n",
			res.MaxLag, res.Sent, res.Received, st.Link.Packets, st.Link.Delivered, st.Link.DroppedQueue, st.Released)
	}
	got := res.Rate() / 1e6
	fmt.Fprintf(stdout, "%8.0f %10.2f %8.2f %8.2f %10s %10s %9.0f\n", rate, got, 100*(got-rate)/rate,
		100*res.Loss(), pctl(rt, 50), pctl(rt, 95), 100*cpu)
	return nil
}

// loadedRTT probes the reverse direction's RTT while the blast runs: the
// probes cross the loaded downlink's queue, so this shows queueing, which
// is the expected 50 ms at full load plus any lateness of the forwarder.
func loadedRTT(l *lab.Lab, dur time.Duration) []time.Duration {
	echo, err := probe.Open(l, l.Downloader, 7)
	if err != nil {
		return nil
	}
	defer echo.Close()
	go probe.Echo(echo)
	cli, err := probe.Open(l, l.Seeders[0], 0)
	if err != nil {
		return nil
	}
	defer cli.Close()
	n := int(dur / (50 * time.Millisecond))
	r, _ := probe.RTT(cli, echo.Addr, n, 64, 50*time.Millisecond)
	slices.Sort(r)
	return r
}

var verbose = true

func pctl(d []time.Duration, p int) string {
	if len(d) == 0 {
		return "-"
	}
	return d[(len(d)-1)*p/100].Round(10 * time.Microsecond).String()
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
