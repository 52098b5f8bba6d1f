package main

import (
	"context"
	"fmt"
	"github.com/swarm-project/swarm/bench/benchkit"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// startNginx runs nginx as a single process in the seeder, serving the
// data set's directory.
func startNginx(ctx context.Context, e *env) (*exec.Cmd, error) {
	dir := filepath.Join(e.work, "nginx")
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o755); err != nil {
		return nil, err
	}
	conf := filepath.Join(dir, "nginx.conf")
	s := e.lab.Seeders[0]
	body := fmt.Sprintf(benchkit.NginxConf, dir, s.Addr, benchkit.NginxPort, e.data.dir)
	if err := os.WriteFile(conf, []byte(body), 0o644); err != nil {
		return nil, err
	}
	cmd := e.lab.Command(ctx, s, "nginx", "-p", dir, "-c", conf)
	cmd.Stderr = &limitedBuffer{max: 64 << 10}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	if err := waitListen(ctx, e.lab, s, benchkit.NginxPort, 5*time.Second); err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, fmt.Errorf("nginx did not start: %w: %s", err, cmd.Stderr.(*limitedBuffer).Bytes())
	}
	return cmd, nil
}

func (e *env) dataURL() string {
	return "http://" + e.lab.Seeders[0].Addr.String() + ":" + benchkit.NginxPort + "/" + e.data.name
}

// curlTool downloads the data set over HTTP/1.1 from nginx with curl.
var curlTool = tool{name: "curl", run: func(ctx context.Context, e *env) (Measurement, int64, error) {
	var m Measurement
	ngx, err := startNginx(ctx, e)
	if err != nil {
		return m, -1, err
	}
	defer stopProcess(ngx)
	cpu0 := benchkit.ProcCPU(ngx.Process.Pid).Seconds()
	cmd := e.lab.Command(ctx, e.lab.Downloader, "curl", "-sS", "-o", "/dev/null",
		"--max-time", strconv.Itoa(int(e.timebox.Seconds())), "-w", "%{size_download} %{time_total}", e.dataURL())
	start := time.Now()
	out, rerr := cmd.Output()
	m.WallSeconds = time.Since(start).Seconds()
	m.SenderCPU, m.ReceiverCPU = benchkit.ProcCPU(ngx.Process.Pid).Seconds()-cpu0, cpuOf(cmd)
	var code int
	if ee, ok := rerr.(*exec.ExitError); ok {
		code = ee.ExitCode()
	}
	m.TimedOut = code == 28
	if _, err := fmt.Sscanf(string(out), "%d %g", &m.Bytes, &m.Seconds); err != nil {
		return m, -1, fmt.Errorf("curl output %q: %v (exit %v)", out, err, rerr)
	}
	if rerr != nil && !m.TimedOut {
		return m, retransFromNetns, fmt.Errorf("curl: %v", rerr)
	}
	return m, retransFromNetns, nil
}}

// aria2Tool downloads the data set from nginx with aria2c, 16 connections.
var aria2Tool = tool{name: "aria2c-x16", run: func(ctx context.Context, e *env) (Measurement, int64, error) {
	var m Measurement
	ngx, err := startNginx(ctx, e)
	if err != nil {
		return m, -1, err
	}
	defer stopProcess(ngx)
	outDir := filepath.Join(e.work, "aria2")
	os.RemoveAll(outDir)
	defer os.RemoveAll(outDir)
	cpu0 := benchkit.ProcCPU(ngx.Process.Pid).Seconds()
	bctx, cancel := context.WithTimeout(ctx, e.timebox)
	defer cancel()
	cmd := interruptible(e.lab.Command(bctx, e.lab.Downloader, "aria2c", "-x16", "-s16", "-k1M",
		"--file-allocation=none", "--allow-overwrite=true", "--auto-file-renaming=false",
		"--summary-interval=0", "--console-log-level=error", "--download-result=hide",
		"-d", outDir, "-o", "out.bin", e.dataURL()))
	errOut := &limitedBuffer{max: 64 << 10}
	cmd.Stderr, cmd.Stdout = errOut, errOut
	start := time.Now()
	rerr := cmd.Run()
	m.Seconds = time.Since(start).Seconds()
	m.TimedOut = bctx.Err() != nil
	m.SenderCPU, m.ReceiverCPU = benchkit.ProcCPU(ngx.Process.Pid).Seconds()-cpu0, cpuOf(cmd)
	m.Bytes = writtenBytes(filepath.Join(outDir, "out.bin"))
	if m.TimedOut {
		m.Seconds = e.timebox.Seconds()
	}
	m.WallSeconds = m.Seconds
	if rerr != nil && !m.TimedOut {
		return m, retransFromNetns, fmt.Errorf("aria2c: %v: %s", rerr, strings.TrimSpace(string(errOut.Bytes())))
	}
	return m, retransFromNetns, nil
}}

// writtenBytes is the data in a possibly sparse file: its allocated blocks
// (aria2c writes 16 segments at their offsets), at most its size.
func writtenBytes(path string) int64 {
	var st syscall.Stat_t
	if err := syscall.Stat(path, &st); err != nil {
		return 0
	}
	return min(st.Size, st.Blocks*512)
}

// stopProcess ends a server started for one run and waits for it.
func stopProcess(c *exec.Cmd) {
	c.Process.Signal(syscall.SIGTERM)
	waitTimeout(c, 5*time.Second)
}
