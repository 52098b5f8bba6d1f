package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/swarm-project/swarm/bench/benchdoc"
	"github.com/swarm-project/swarm/bench/benchkit"
	"github.com/swarm-project/swarm/bench/lab"
)

// The sharing benchmark (--share): swarm's policies on a congested link
// next to one TCP flow, on the real lab (the simulations in
// docs/ratectl.md use a model of TCP; this uses the kernel's).
//
// Each case starts an iperf3 flow (CUBIC or BBR) from the seeder, lets it
// settle for shareSettle, then runs `swarm get --policy P` from the same
// seeder over the same bottleneck for at most the time box; the two rates
// are compared over swarm's transfer. fixed runs alone against its target.
var shareLink = lab.Path{RateMbit: 50, RTT: 50 * time.Millisecond, QueueMs: 50}

const shareSettle = 8 * time.Second

// shareCase is one run: a policy, a competing TCP congestion control
// (empty: swarm alone), and the rate to ask for.
type shareCase struct {
	Policy string `json:"policy"`
	TCP    string `json:"tcp"`
	Rate   string `json:"rate,omitempty"`
}

// ShareResult is one case's outcome; rates in Mbit/s over swarm's transfer.
type ShareResult struct {
	shareCase
	SwarmMbps float64 `json:"swarm_mbps"`
	TCPMbps   float64 `json:"tcp_mbps"`
	Jain      float64 `json:"jain"`
	Seconds   float64 `json:"seconds"`
	Error     string  `json:"error,omitempty"`
}

var shareCases = []shareCase{
	{Policy: "fair", TCP: "cubic"}, {Policy: "fair", TCP: "bbr"},
	{Policy: "low", TCP: "cubic"}, {Policy: "low", TCP: "bbr"},
	{Policy: "high", TCP: "cubic"},
	{Policy: "fixed", Rate: "20M"},
}

// runShare runs every case once on a fresh lab and writes the JSON and the
// document section.
func runShare(ctx context.Context, o options, d *dataSet, sw *swarmBin, log *slog.Logger) error {
	if sw.path == "" {
		return fmt.Errorf("swarm unavailable: %s", sw.reason)
	}
	l, err := lab.Up(ctx, lab.Config{Seeders: []lab.LinkSpec{lab.Symmetric(shareLink.Link())}, Seed: o.seed, Logger: log})
	if err != nil {
		return err
	}
	defer l.Close()
	work, err := d.scratch("share")
	if err != nil {
		return err
	}
	e := &env{lab: l, profile: Profile{Name: "share", RateMbit: shareLink.RateMbit}, data: d, timebox: o.timebox, swarm: sw, log: log, work: work}
	daemon, peer, cid, err := startSeeder(ctx, e, l.Seeders[0], filepath.Join(work, "seed"), false)
	if err != nil {
		return err
	}
	defer stopProcess(daemon)
	var res []ShareResult
	for _, c := range shareCases {
		r := runShareCase(ctx, e, c, peer, cid)
		e.log.Info("share", "policy", c.Policy, "tcp", c.TCP, "swarm_mbps", fmt.Sprintf("%.1f", r.SwarmMbps),
			"tcp_mbps", fmt.Sprintf("%.1f", r.TCPMbps), "jain", fmt.Sprintf("%.2f", r.Jain), "err", r.Error)
		res = append(res, r)
		if ctx.Err() != nil {
			break
		}
	}
	return writeShare(o, res)
}

// runShareCase runs one case: the TCP flow (if any) in the background, then
// swarm's download.
func runShareCase(ctx context.Context, e *env, c shareCase, peer, cid string) ShareResult {
	r := ShareResult{shareCase: c}
	var tcp *tcpFlow
	if c.TCP != "" {
		var err error
		if tcp, err = startTCPFlow(ctx, e, c.TCP, shareSettle+e.timebox+5*time.Second); err != nil {
			r.Error = err.Error()
			return r
		}
		defer tcp.stop()
		time.Sleep(shareSettle)
	}
	start := time.Now()
	bytes, err := shareGet(ctx, e, c, peer, cid)
	r.Seconds = time.Since(start).Seconds()
	if err != nil {
		r.Error = err.Error()
	}
	r.SwarmMbps = float64(bytes) * 8 / r.Seconds / 1e6
	if tcp != nil {
		mbps, err := tcp.rateBetween(start, time.Now())
		if err != nil && r.Error == "" {
			r.Error = err.Error()
		}
		r.TCPMbps = mbps
		a, b := r.SwarmMbps, r.TCPMbps
		if a+b > 0 {
			r.Jain = (a + b) * (a + b) / (2 * (a*a + b*b))
		}
	}
	return r
}

// shareGet downloads the data set with the case's policy into a fresh
// repository, within the time box, and returns the verified bytes.
func shareGet(ctx context.Context, e *env, c shareCase, peer, cid string) (int64, error) {
	d := e.lab.Downloader
	repo := filepath.Join(e.work, "get-"+c.Policy+"-"+c.TCP)
	out := filepath.Join(e.work, "out-"+c.Policy+"-"+c.TCP)
	defer os.RemoveAll(repo)
	defer os.Remove(out)
	partial := filepath.Join(e.work, "."+filepath.Base(out)+".swarm-partial")
	defer os.Remove(partial)
	if _, err := e.swarmRun(ctx, d, repo, "init"); err != nil {
		return 0, err
	}
	args := []string{"get", cid, "-o", out, "--peer", peer, "--json", "--policy", c.Policy}
	if c.Rate != "" {
		args = append(args, "--rate", c.Rate)
	}
	bctx, cancel := context.WithTimeout(ctx, e.timebox)
	defer cancel()
	get := interruptible(e.swarmCmd(bctx, d, repo, args...))
	stdout, err := get.Output()
	var rep swarmGetReport
	if jerr := json.Unmarshal(benchkit.LastJSONLine(stdout), &rep); jerr == nil && bctx.Err() == nil {
		return rep.Bytes, nil
	}
	n := max(writtenBytes(out), writtenBytes(partial))
	if bctx.Err() != nil && n > 0 {
		return n, nil // time-boxed: the verified part
	}
	return n, fmt.Errorf("swarm get failed before its time box: %v", err)
}

// tcpFlow is an iperf3 flow from the seeder to the downloader; the
// server's per-second report gives its rate over any window.
type tcpFlow struct {
	srv, cli *exec.Cmd
	out      *limitedBuffer
	started  time.Time
	stopped  bool
}

func startTCPFlow(ctx context.Context, e *env, cc string, d time.Duration) (*tcpFlow, error) {
	dn, s := e.lab.Downloader, e.lab.Seeders[0]
	const port = "5202"
	f := &tcpFlow{out: &limitedBuffer{max: 4 << 20}}
	f.srv = e.lab.Command(ctx, dn, "iperf3", "-s", "-1", "-B", dn.Addr.String(), "-p", port, "--json")
	f.srv.Stdout = f.out
	if err := f.srv.Start(); err != nil {
		return nil, err
	}
	if err := waitListen(ctx, e.lab, dn, port, 5*time.Second); err != nil {
		f.srv.Process.Kill()
		return nil, fmt.Errorf("iperf3 server: %w", err)
	}
	f.cli = e.lab.Command(ctx, s, "iperf3", "-c", dn.Addr.String(), "-p", port, "-C", cc,
		"-t", strconv.Itoa(int(d.Seconds())), "--json")
	f.started = time.Now()
	if err := f.cli.Start(); err != nil {
		f.srv.Process.Kill()
		return nil, err
	}
	return f, nil
}

// stop ends the flow early if it is still running (SIGINT: iperf3 then
// still reports) and waits for both ends, once.
func (f *tcpFlow) stop() {
	if f.stopped {
		return
	}
	f.stopped = true
	_ = f.cli.Process.Signal(os.Interrupt)
	_ = waitTimeout(f.cli, 5*time.Second)
	_ = waitTimeout(f.srv, 10*time.Second)
}

type iperfIntervals struct {
	Intervals []struct {
		Sum struct {
			Start float64 `json:"start"`
			End   float64 `json:"end"`
			Bytes int64   `json:"bytes"`
		} `json:"sum"`
	} `json:"intervals"`
}

// rateBetween stops the flow and returns its rate in Mbit/s over [from,
// to], from the server's one-second intervals (partly covered intervals
// count in proportion).
func (f *tcpFlow) rateBetween(from, to time.Time) (float64, error) {
	f.stop()
	var rep iperfIntervals
	if err := json.Unmarshal(f.out.Bytes(), &rep); err != nil {
		return 0, fmt.Errorf("iperf3 server report: %w", err)
	}
	return rep.mbpsOver(from.Sub(f.started).Seconds(), to.Sub(f.started).Seconds()), nil
}

// mbpsOver is the rate in Mbit/s over [a, b] seconds from the start.
func (rep *iperfIntervals) mbpsOver(a, b float64) float64 {
	if b <= a {
		return 0
	}
	var bytes float64
	for _, iv := range rep.Intervals {
		lo, hi := max(a, iv.Sum.Start), min(b, iv.Sum.End)
		if hi > lo && iv.Sum.End > iv.Sum.Start {
			bytes += float64(iv.Sum.Bytes) * (hi - lo) / (iv.Sum.End - iv.Sum.Start)
		}
	}
	return bytes * 8 / (b - a) / 1e6
}

// writeShare writes the JSON result and replaces the document's section.
func writeShare(o options, res []ShareResult) error {
	date := time.Now().UTC()
	rec := struct {
		Date    time.Time     `json:"date"`
		Command string        `json:"command"`
		Link    lab.Path      `json:"link"`
		Settle  float64       `json:"settle_seconds"`
		Results []ShareResult `json:"results"`
	}{date, o.command, shareLink, shareSettle.Seconds(), res}
	b, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return err
	}
	path := filepath.Join(o.results, date.Format("2006-01-02")+"-share.json")
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return err
	}
	if o.doc == "" {
		return nil
	}
	return benchdoc.UpdateSection(o.doc, "wanbench-share", renderShare(o.command, date, res))
}

func renderShare(cmd string, date time.Time, res []ShareResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## Sharing a link with TCP (`%s`)\n\n", cmd)
	fmt.Fprintf(&b, "%s. Link %.0f Mbit/s, %v RTT, no random loss, %.0f ms drop-tail queue. "+
		"An iperf3 flow from the seeder runs alone for %v, then `swarm get --policy P` from the same seeder "+
		"shares the bottleneck for at most the time box; both rates are over swarm's transfer (its connect and ramp-up included). "+
		"Jain's index is (a+b)²/2(a²+b²): 1 is an even split, 0.5 one flow taking all. One run per case.\n\n",
		date.Format("2006-01-02 15:04 UTC"), shareLink.RateMbit, shareLink.RTT, shareLink.QueueMs, shareSettle)
	b.WriteString("| policy | against | swarm Mbit/s | TCP Mbit/s | swarm share | Jain | seconds | notes |\n")
	b.WriteString("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |\n")
	for _, r := range res {
		against := r.TCP
		if against == "" {
			against = "alone, --rate " + r.Rate
		}
		share, jain := "", ""
		if r.TCP != "" && r.SwarmMbps+r.TCPMbps > 0 {
			share = fmt.Sprintf("%.2f", r.SwarmMbps/(r.SwarmMbps+r.TCPMbps))
			jain = fmt.Sprintf("%.2f", r.Jain)
		}
		fmt.Fprintf(&b, "| %s | %s | %.1f | %.1f | %s | %s | %.1f | %s |\n",
			r.Policy, against, r.SwarmMbps, r.TCPMbps, share, jain, r.Seconds, r.Error)
	}
	return b.String()
}
