package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"
)

// runMemory is the loopback memory benchmark: one file of --size-gb added
// in place in --sources repositories, one daemon each on 127.0.0.1 over
// swarmrc, and one `swarm get` from all of them whose peak resident set
// (getrusage, as /usr/bin/time -v) is the figure.
func runMemory(ctx context.Context, o options, s scenario, sw swarmCLI, log *slog.Logger) (*ScenarioResult, error) {
	size := int64(o.sizeGB * 1e9)
	res := newResult(s, o, size)
	res.Setup = fmt.Sprintf("%s; %.0f GB, %d sources, files in %s", s.Setup, o.sizeGB, o.sources, o.dir)
	if err := needSpace(o.dir, 2*size); err != nil {
		return res, err
	}
	dir, err := os.MkdirTemp(o.dir, "multibench-mem-")
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(dir)
	r := Run{Case: fmt.Sprintf("swarm %d sources, %.0f GB", o.sources, o.sizeGB)}
	err = memoryRun(ctx, o, sw, dir, size, &r, log)
	if err != nil && r.Error == "" {
		r.Error = err.Error()
	}
	r.finish(0, size)
	res.add(s, r)
	log.Info("run", "scenario", s.Name, "case", r.Case, "peak_rss_mb", fmt.Sprintf("%.1f", r.PeakRSSMB),
		"goodput_mbps", fmt.Sprintf("%.1f", r.GoodputMbps), "complete", r.Complete, "err", r.Error)
	return res, nil
}

func memoryRun(ctx context.Context, o options, sw swarmCLI, dir string, size int64, r *Run, log *slog.Logger) error {
	host := place{}
	path := filepath.Join(dir, "data.bin")
	t0 := time.Now()
	if err := writeRandom(path, size, 2); err != nil {
		return fmt.Errorf("writing the data: %w", err)
	}
	t1 := time.Now()
	log.Info("data written", "bytes", size, "seconds", t1.Sub(t0).Seconds())
	var root string
	var ds []*daemon
	defer func() { stopDaemons(ds) }()
	labels := map[string]string{}
	for i := range o.sources {
		repo := filepath.Join(dir, fmt.Sprintf("src%d", i+1))
		c, err := sw.seed(ctx, host, repo, path)
		if err != nil {
			return err
		}
		if root != "" && c != root {
			return fmt.Errorf("source %d added the file as %s, source 1 as %s", i+1, c, root)
		}
		root = c
		d, err := sw.startDaemon(ctx, host, daemonSpec{repo: repo, ip: "127.0.0.1", transport: "swarmrc",
			flags: []string{"--listen", "/ip4/127.0.0.1/udp/0/swarmrc", "--api", "127.0.0.1:0"}})
		if err != nil {
			return fmt.Errorf("source %d: %w", i+1, err)
		}
		ds = append(ds, d)
		labels["peer "+d.ID] = fmt.Sprintf("src%d", i+1)
	}
	t2 := time.Now()
	log.Info("sources ready", "n", o.sources, "seconds", t2.Sub(t1).Seconds())
	repo, out := filepath.Join(dir, "get"), filepath.Join(dir, "out.bin")
	if _, err := sw.run(ctx, host, repo, "init"); err != nil {
		return err
	}
	progress := func() int64 { return max(writtenBytes(partialPath(out)), writtenBytes(out)) }
	g := sw.get(ctx, host, repo, getRequest{Root: root, Out: out, Peers: addrs(ds), Timebox: o.memTimebox, PartialProgress: progress})
	fillFromGet(r, g, labels)
	r.Event = fmt.Sprintf("file written in %.1f s; %d adds in place and daemons in %.1f s", t1.Sub(t0).Seconds(), o.sources, t2.Sub(t1).Seconds())
	return nil
}
