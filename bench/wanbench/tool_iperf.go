package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// iperfTool is iperf3 TCP, one stream, with a congestion control, sending
// the data set's size from the seeder to the downloader. The receiver
// (iperf3 server in the downloader) reports the goodput.
func iperfTool(cc string) tool {
	return tool{name: "iperf3-" + cc, run: func(ctx context.Context, e *env) (Measurement, int64, error) {
		return runIperf(ctx, e, cc)
	}}
}

type iperfReport struct {
	End struct {
		SumReceived struct {
			Bytes   int64   `json:"bytes"`
			Seconds float64 `json:"seconds"`
		} `json:"sum_received"`
	} `json:"end"`
	Error string `json:"error"`
}

func runIperf(ctx context.Context, e *env, cc string) (Measurement, int64, error) {
	var m Measurement
	d, s := e.lab.Downloader, e.lab.Seeders[0]
	port := "5201"
	srv := e.lab.Command(ctx, d, "iperf3", "-s", "-1", "-B", d.Addr.String(), "-p", port, "--json")
	out := &limitedBuffer{max: 4 << 20}
	srv.Stdout = out
	if err := srv.Start(); err != nil {
		return m, -1, err
	}
	defer srv.Process.Kill()
	if err := waitListen(ctx, e.lab, d, port, 5*time.Second); err != nil {
		return m, -1, fmt.Errorf("iperf3 server: %w", err)
	}
	bctx, cancel := context.WithTimeout(ctx, e.timebox)
	defer cancel()
	cli := interruptible(e.lab.Command(bctx, s, "iperf3", "-c", d.Addr.String(), "-p", port,
		"-C", cc, "-n", strconv.FormatInt(e.data.size, 10), "--json"))
	start := time.Now()
	cli.Run()
	m.WallSeconds = time.Since(start).Seconds()
	m.TimedOut = bctx.Err() != nil
	werr := waitTimeout(srv, 10*time.Second)
	m.SenderCPU, m.ReceiverCPU = cpuOf(cli), cpuOf(srv)
	var rep iperfReport
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		return m, -1, fmt.Errorf("iperf3 server report: %w (wait: %v)", err, werr)
	}
	m.Bytes, m.Seconds = rep.End.SumReceived.Bytes, rep.End.SumReceived.Seconds
	if rep.Error != "" && !m.TimedOut {
		return m, retransFromNetns, fmt.Errorf("iperf3: %s", rep.Error)
	}
	return m, retransFromNetns, nil
}
