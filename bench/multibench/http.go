package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/swarm-project/swarm/bench/benchkit"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// startNginx runs nginx in seeder i serving the data set.
func (e *labEnv) startNginx(ctx context.Context, i int) (*proc, error) {
	if _, err := exec.LookPath("nginx"); err != nil {
		return nil, errors.New("nginx is not installed (apt-get install nginx; make bench-wan installs it)")
	}
	n := e.lab.Seeders[i]
	dir := filepath.Join(e.work, "nginx-"+n.Name)
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o755); err != nil {
		return nil, err
	}
	conf := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(conf, fmt.Appendf(nil, benchkit.NginxConf, dir, n.Addr, benchkit.NginxPort, e.data.dir), 0o644); err != nil {
		return nil, err
	}
	p, err := startProc(e.seeder(i).command(ctx, "nginx", "-p", dir, "-c", conf), newLogTail(16<<10, ""))
	if err != nil {
		return nil, err
	}
	if err := e.waitListen(ctx, i, 5*time.Second); err != nil {
		p.stop()
		return nil, fmt.Errorf("nginx in %s: %w: %s", n.Name, err, p.logs.Last())
	}
	return p, nil
}

// waitListen waits until a TCP socket listens on benchkit.NginxPort in seeder i,
// without connecting to it.
func (e *labEnv) waitListen(ctx context.Context, i int, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		out, err := e.seeder(i).command(ctx, "ss", "-Hltn", "sport = :"+benchkit.NginxPort).Output()
		if err == nil && len(bytes.TrimSpace(out)) > 0 {
			return nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return errors.Join(errors.New("nothing listens on port "+benchkit.NginxPort), err, ctx.Err())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (e *labEnv) dataURL(i int) string {
	return "http://" + e.lab.Seeders[i].Addr.String() + ":" + benchkit.NginxPort + "/" + e.data.name
}

// aria2Case downloads the file with aria2c (16 connections, 1 MiB pieces)
// from nginx on every seeder of idx, given as mirrors of one file.
func aria2Case(idx []int) func(context.Context, *labEnv, *Run) error {
	return func(ctx context.Context, e *labEnv, r *Run) error {
		if _, err := exec.LookPath("aria2c"); err != nil {
			return errors.New("aria2c is not installed (apt-get install aria2; make bench-wan installs it)")
		}
		var urls []string
		for _, i := range idx {
			ng, err := e.startNginx(ctx, i)
			if err != nil {
				return err
			}
			defer ng.stop()
			urls = append(urls, e.dataURL(i))
		}
		return e.aria2(ctx, r, urls)
	}
}

func (e *labEnv) aria2(ctx context.Context, r *Run, urls []string) error {
	e.runs++
	dir := filepath.Join(e.work, fmt.Sprintf("aria2-%d", e.runs))
	defer os.RemoveAll(dir)
	args := append([]string{"-x16", "-s16", "-k1M", "--file-allocation=none", "--allow-overwrite=true",
		"--auto-file-renaming=false", "--summary-interval=0", "--console-log-level=error",
		"--download-result=hide", "-d", dir, "-o", "out.bin"}, urls...)
	c, err := e.timedDownload(ctx, r, func(ctx context.Context) *exec.Cmd {
		return e.downloader().command(ctx, "aria2c", args...)
	})
	r.Bytes = writtenBytes(filepath.Join(dir, "out.bin"))
	r.PeakRSSMB, r.CPUSec = float64(peakRSS(c))/1e6, cpuSeconds(c)
	if err != nil {
		r.Error = "aria2c: " + err.Error()
	}
	return nil
}

// timedDownload runs the command mk makes under the time box (stopped
// with SIGINT when it runs out) and fills r's wall time, wire bytes and
// TimedOut. It returns the command, finished, and its error with its
// last output line, nil when it ended by the time box.
func (e *labEnv) timedDownload(ctx context.Context, r *Run, mk func(context.Context) *exec.Cmd) (*exec.Cmd, error) {
	bctx, cancel := context.WithTimeout(ctx, e.o.timebox)
	defer cancel()
	c := interruptible(mk(bctx))
	logs := newLogTail(16<<10, "")
	c.Stdout, c.Stderr = logs, logs
	wire0 := e.wireBytes()
	start := time.Now()
	err := c.Run()
	r.Seconds = time.Since(start).Seconds()
	r.WireMB = wireDelta(wire0, e.wireBytes())
	r.TimedOut = bctx.Err() != nil
	if r.TimedOut {
		r.Seconds = e.o.timebox.Seconds()
		return c, nil
	}
	if err != nil {
		return c, fmt.Errorf("%v: %s", err, strings.TrimSpace(logs.Last()))
	}
	return c, nil
}
