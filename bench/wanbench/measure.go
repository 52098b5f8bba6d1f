package main

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/swarm-project/swarm/bench/lab"
)

// Measurement is one run of one tool over one profile.
type Measurement struct {
	Tool        string  `json:"tool"`
	Bytes       int64   `json:"bytes"`   // application bytes received
	Seconds     float64 `json:"seconds"` // transfer time, as the tool reports it
	GoodputMbps float64 `json:"goodput_mbps"`
	GoodputPct  float64 `json:"goodput_pct"` // of the bottleneck rate
	// WallSeconds is the client process's life, launch to exit: what a
	// user waits for, with process start, connection setup (swarm: the
	// libp2p handshakes and the manifest) and shutdown. 0: not measured.
	WallSeconds     float64 `json:"wall_seconds,omitempty"`
	WallGoodputMbps float64 `json:"wall_goodput_mbps,omitempty"`
	// RetransPct is retransmitted bytes as a percentage of the data; -1
	// when the tool cannot tell.
	RetransPct float64 `json:"retrans_pct"`
	// WireOverheadPct is the IP bytes the seeder put on the link beyond
	// the data, as a percentage of the data: headers plus retransmissions.
	WireOverheadPct float64 `json:"wire_overhead_pct"`
	SenderCPU       float64 `json:"sender_cpu_s"`
	ReceiverCPU     float64 `json:"receiver_cpu_s"`
	SenderCPUPerGB  float64 `json:"sender_cpu_s_per_gb"`
	RecvCPUPerGB    float64 `json:"receiver_cpu_s_per_gb"`
	TimedOut        bool    `json:"timed_out,omitempty"`
	Peer            string  `json:"peer,omitempty"` // swarm: the address fetched from
	Error           string  `json:"error,omitempty"`
}

// finish fills the derived figures.
func (m *Measurement) finish(rateMbit float64, wireBytes, retransBytes int64) {
	if m.Seconds > 0 {
		m.GoodputMbps = float64(m.Bytes) * 8 / m.Seconds / 1e6
		m.GoodputPct = 100 * m.GoodputMbps / rateMbit
	}
	if m.WallSeconds > 0 {
		m.WallGoodputMbps = float64(m.Bytes) * 8 / m.WallSeconds / 1e6
	}
	if m.Bytes > 0 {
		gb := float64(m.Bytes) / 1e9
		m.SenderCPUPerGB = m.SenderCPU / gb
		m.RecvCPUPerGB = m.ReceiverCPU / gb
		m.WireOverheadPct = 100 * (float64(wireBytes) - float64(m.Bytes)) / float64(m.Bytes)
		if retransBytes >= 0 {
			m.RetransPct = 100 * float64(retransBytes) / float64(m.Bytes)
		}
	}
}

// cpuOf returns the user+system CPU time of an exited command.
func cpuOf(c *exec.Cmd) float64 {
	if c.ProcessState == nil {
		return 0
	}
	return (c.ProcessState.UserTime() + c.ProcessState.SystemTime()).Seconds()
}

// tcpRetransSegs reads the TCP RetransSegs counter of a node's namespace.
func tcpRetransSegs(ctx context.Context, l *lab.Lab, n lab.Node) int64 {
	out, err := l.Command(ctx, n, "cat", "/proc/net/snmp").Output()
	if err != nil {
		return 0
	}
	var names []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 0 || f[0] != "Tcp:" {
			continue
		}
		if names == nil {
			names = f
			continue
		}
		for i, name := range names {
			if name == "RetransSegs" && i < len(f) {
				v, _ := strconv.ParseInt(f[i], 10, 64)
				return v
			}
		}
	}
	return 0
}

// tcpMSS is the segment payload of the lab's TCP flows: MTU 1500 minus IP,
// TCP and timestamp option headers.
const tcpMSS = 1448

// linkBytes is the IP bytes seeder i has offered to its down link so far.
func linkBytes(l *lab.Lab, i int) int64 {
	return int64(l.Stats()[2*i+1].Link.Bytes)
}

// interruptible makes a command stop with SIGINT when its context ends,
// so tools print what they have, and be killed 5 s later.
func interruptible(c *exec.Cmd) *exec.Cmd {
	c.Cancel = func() error { return c.Process.Signal(os.Interrupt) }
	c.WaitDelay = 5 * time.Second
	return c
}
