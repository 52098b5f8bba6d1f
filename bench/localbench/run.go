package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/swarm-project/swarm/bench/benchdoc"
)

// Result is one stack's figure: bytes per CPU-second, both ends together.
type Result struct {
	Stack          string    `json:"stack"`
	Runs           int       `json:"runs"`
	Bytes          int64     `json:"bytes"`
	GoodputMbps    float64   `json:"goodput_mbps"`    // median
	BytesPerCPUSec float64   `json:"bytes_per_cpu_s"` // median
	CPUSecPerGB    float64   `json:"cpu_s_per_gb"`    // median
	Samples        []float64 `json:"bytes_per_cpu_s_runs"`
	Note           string    `json:"note,omitempty"`
	failed         bool
}

// Report is what bench/results/<date>-local.json holds.
type Report struct {
	Date    time.Time `json:"date"`
	Host    string    `json:"host"`
	Cores   int       `json:"cores"`
	Go      string    `json:"go"`
	Command string    `json:"command"`
	Results []Result  `json:"results"`
}

type sample struct {
	bytes   int64
	seconds float64
	cpu     time.Duration
	note    string
}

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("localbench", flag.ContinueOnError)
	sizeMB := fs.Int64("size-mb", 1000, "bytes to move per run, MB")
	repeat := fs.Int("repeat", 3, "runs per stack")
	results := fs.String("results", "bench/results", "directory for the JSON result")
	doc := fs.String("doc", "docs/benchmarks.md", "document whose loopback section is regenerated (empty: none)")
	repo := fs.String("repo", ".", "repository root, to build ./cmd/swarm")
	only := fs.String("stacks", "all", "stacks to run: libp2p-tcp-tls-yamux,libp2p-swarmrc-tls-yamux,libp2p-quic,iperf3-tcp,swarm,swarm-quic")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	size := *sizeMB * 1_000_000
	dir, err := os.MkdirTemp(shmDir(), "localbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	stacks := stackRunners(ctx, *repo, dir, size, log)
	rep := Report{Date: time.Now().UTC(), Cores: runtime.NumCPU(), Go: runtime.Version(),
		Command: strings.TrimSpace("go run ./bench/localbench " + strings.Join(args, " "))}
	rep.Host, _ = os.Hostname()
	stacks = slices.DeleteFunc(stacks, func(st stack) bool {
		return *only != "all" && !slices.Contains(strings.Split(*only, ","), st.name)
	})
	rep.Results = measureInterleaved(stacks, *repeat, log)
	return writeReport(rep, *results, *doc)
}

type stack struct {
	name string
	run  func() (sample, error)
}

func stackRunners(ctx context.Context, repo, dir string, size int64, log *slog.Logger) []stack {
	inProc := func(name string) stack {
		return stack{name, func() (sample, error) {
			runtime.GC() // the previous stack's garbage is not this one's CPU
			c0 := selfCPU()
			secs, err := libp2pTransfer(ctx, name, size)
			return sample{bytes: size, seconds: secs, cpu: selfCPU() - c0}, err
		}}
	}
	stacks := []stack{inProc("libp2p-tcp-tls-yamux"), inProc("libp2p-swarmrc-tls-yamux"), inProc("libp2p-quic")}
	if _, err := exec.LookPath("iperf3"); err == nil {
		stacks = append(stacks, stack{"iperf3-tcp", func() (sample, error) {
			secs, cpu, err := iperfTransfer(ctx, size)
			return sample{bytes: size, seconds: secs, cpu: cpu}, err
		}})
	} else {
		log.Warn("iperf3 not installed (apt-get install -y iperf3); skipping its figure")
	}
	bin, why := buildSwarm(ctx, repo, dir)
	file := filepath.Join(dir, "data.bin")
	if bin != "" {
		if err := writeRandom(file, size); err != nil {
			why, bin = err.Error(), ""
		}
	}
	for _, quic := range []bool{false, true} {
		name := map[bool]string{false: "swarm", true: "swarm-quic"}[quic]
		stacks = append(stacks, stack{name, func() (sample, error) {
			if bin == "" {
				return sample{}, fmt.Errorf("unavailable: %s", why)
			}
			n, secs, cpu, peer, err := swarmTransfer(ctx, bin, file, dir, quic)
			return sample{bytes: n, seconds: secs, cpu: cpu, note: "via " + peer}, err
		}})
	}
	return stacks
}

// measureInterleaved runs every stack once per round, repeat rounds, so
// that load from elsewhere on a shared machine falls on all of them alike.
// A stack that fails is not run again.
func measureInterleaved(stacks []stack, repeat int, log *slog.Logger) []Result {
	res := make([]Result, len(stacks))
	secs := make([][]float64, len(stacks))
	cpg := make([][]float64, len(stacks))
	for k, st := range stacks {
		res[k].Stack = st.name
	}
	for range repeat {
		for k, st := range stacks {
			r := &res[k]
			if r.failed {
				continue
			}
			s, err := st.run()
			if err != nil {
				r.Note, r.failed = err.Error(), true
				log.Warn("run failed", "stack", st.name, "err", err)
				continue
			}
			r.Runs, r.Bytes, r.Note = r.Runs+1, s.bytes, s.note
			r.Samples = append(r.Samples, float64(s.bytes)/s.cpu.Seconds())
			secs[k] = append(secs[k], float64(s.bytes)*8/s.seconds/1e6)
			cpg[k] = append(cpg[k], s.cpu.Seconds()/(float64(s.bytes)/1e9))
			log.Info("run", "stack", st.name, "MB_per_cpu_s", fmt.Sprintf("%.0f", r.Samples[len(r.Samples)-1]/1e6), "mbps", fmt.Sprintf("%.0f", secs[k][len(secs[k])-1]))
		}
	}
	for k := range res {
		r := &res[k]
		r.BytesPerCPUSec, r.GoodputMbps, r.CPUSecPerGB = median(r.Samples), median(secs[k]), median(cpg[k])
	}
	return res
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	v = slices.Clone(v)
	slices.Sort(v)
	if n := len(v); n%2 == 0 {
		return (v[n/2-1] + v[n/2]) / 2
	}
	return v[len(v)/2]
}

func buildSwarm(ctx context.Context, repo, dir string) (string, string) {
	out := filepath.Join(dir, "swarm")
	c := exec.CommandContext(ctx, "go", "build", "-o", out, "./cmd/swarm")
	c.Dir = repo
	if b, err := c.CombinedOutput(); err != nil {
		return "", fmt.Sprintf("go build ./cmd/swarm: %v: %.200s", err, b)
	}
	return out, ""
}

func writeRandom(path string, size int64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.CopyN(f, rand.NewChaCha8([32]byte{'l', 'o', 'c', 'a', 'l'}), size)
	return err
}

func shmDir() string {
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		return "/dev/shm"
	}
	return os.TempDir()
}

func writeReport(rep Report, dir, doc string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	p := filepath.Join(dir, rep.Date.Format("2006-01-02")+"-local.json")
	if err := os.WriteFile(p, append(b, '\n'), 0o644); err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "wrote", p)
	if doc == "" {
		return nil
	}
	return benchdoc.UpdateSection(doc, "localbench", renderLocal(rep))
}

func renderLocal(rep Report) string {
	var b strings.Builder
	b.WriteString("## Loopback CPU efficiency (`make bench-local`)\n\n")
	fmt.Fprintf(&b, "%s UTC on %s (%d cores, %s). Command: `%s`. ", rep.Date.Format("2006-01-02 15:04"), rep.Host, rep.Cores, rep.Go, rep.Command)
	b.WriteString("Bytes moved per CPU-second of both ends together (user+system), median of the runs; the runs are interleaved (every stack once per round). ")
	b.WriteString("libp2p stacks run both hosts in one process with one stream; libp2p-swarmrc-tls-yamux is swarm's transport under the same TLS and yamux as the TCP stack. ")
	for _, r := range rep.Results {
		if r.Stack == "libp2p-swarmrc-tls-yamux" {
			if base := findStack(rep, "libp2p-tcp-tls-yamux"); base > 0 && r.BytesPerCPUSec > 0 {
				fmt.Fprintf(&b, "swarmrc over TCP, same run: %.2f×. ", r.BytesPerCPUSec/base)
			}
		}
	}
	b.WriteString("\n\n")
	b.WriteString("| stack | MB per CPU-second | CPU s/GB | goodput Mbit/s | runs | notes |\n| --- | ---: | ---: | ---: | ---: | --- |\n")
	for _, r := range rep.Results {
		if r.Runs == 0 {
			fmt.Fprintf(&b, "| %s | – | – | – | 0 | %s |\n", r.Stack, strings.ReplaceAll(r.Note, "|", "/"))
			continue
		}
		fmt.Fprintf(&b, "| %s | %.0f | %.2f | %.0f | %d | %s |\n", r.Stack, r.BytesPerCPUSec/1e6, r.CPUSecPerGB, r.GoodputMbps, r.Runs, r.Note)
	}
	return b.String()
}

// findStack returns a stack's median bytes per CPU-second, or 0.
func findStack(rep Report, name string) float64 {
	for _, r := range rep.Results {
		if r.Stack == name {
			return r.BytesPerCPUSec
		}
	}
	return 0
}
