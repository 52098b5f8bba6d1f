package main

import (
	"context"
	"debug/buildinfo"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/swarm-project/swarm/bench/benchkit"
)

// kuboVersion is the Kubo the comparison runs (`make kubo` builds it).
const kuboVersion = "v0.38.0"

// kuboCLI drives Kubo's `ipfs` through its CLI, one repository
// (IPFS_PATH) per node.
type kuboCLI struct{ bin string }

// kuboGo is the Go release Kubo v0.38.0 is built with. Built with Go
// 1.26, its quic-go v0.54 panics in the QUIC handshake ("crypto/tls bug:
// where's my session ticket?"), taking the daemon down.
const kuboGo = "go1.25"

// check says why the binary cannot run the comparison, nil when it can.
func (k kuboCLI) check() error {
	out, err := exec.Command(k.bin, "version").Output()
	if err != nil {
		return fmt.Errorf("Kubo not usable at %s (%v); `make kubo` builds Kubo %s from the module proxy", k.bin, err, kuboVersion)
	}
	if v := strings.TrimSpace(string(out)); !strings.HasSuffix(v, " "+strings.TrimPrefix(kuboVersion, "v")) {
		return fmt.Errorf("%s is %q, want Kubo %s", k.bin, v, kuboVersion)
	}
	bi, err := buildinfo.ReadFile(k.bin)
	if err != nil {
		return fmt.Errorf("%s: %w", k.bin, err)
	}
	if bi.GoVersion != kuboGo && !strings.HasPrefix(bi.GoVersion, kuboGo+".") {
		return fmt.Errorf("%s was built with %s, want %s (`make kubo` uses it)", k.bin, bi.GoVersion, kuboGo)
	}
	return nil
}

func (k kuboCLI) command(ctx context.Context, p place, repo string, args ...string) *exec.Cmd {
	c := p.command(ctx, k.bin, args...)
	c.Env = append(os.Environ(), "IPFS_PATH="+repo, "IPFS_TELEMETRY=off")
	return c
}

func (k kuboCLI) run(ctx context.Context, p place, repo string, args ...string) (string, error) {
	return output(k.command(ctx, p, repo, args...), "ipfs", args)
}

// init creates repo for a node listening on ip (kuboSettings) and
// returns its peer ID.
func (k kuboCLI) init(ctx context.Context, p place, repo, ip string) (string, error) {
	if _, err := k.run(ctx, p, repo, "init", "--profile=test", "--empty-repo"); err != nil {
		return "", err
	}
	return configureKubo(repo, ip)
}

// kuboReady is what `ipfs daemon` prints once it serves its API.
const kuboReady = "Daemon is ready"

// startDaemon runs `ipfs daemon` on repo and returns once it is ready.
func (k kuboCLI) startDaemon(ctx context.Context, p place, repo string) (*proc, error) {
	pr, err := startProc(k.command(ctx, p, repo, "daemon"), newLogTail(64<<10, kuboReady))
	if err != nil {
		return nil, err
	}
	if err := pr.waitReady(60 * time.Second); err != nil {
		pr.stop()
		return nil, fmt.Errorf("ipfs daemon: %w", err)
	}
	return pr, nil
}

// kuboSeeds is the data set added to a Kubo repository on every seeder.
type kuboSeeds struct {
	root  string
	repos []string
	ids   []string
}

// seedKubo, once per lab, initialises a Kubo repository on every seeder
// and adds the data set (copied into the repository: Kubo's filestore
// only takes files under the repository's parent) with CIDv1 raw leaves
// and the default chunker; every seeder must get the same root.
func (e *labEnv) seedKubo(ctx context.Context) (*kuboSeeds, error) {
	if e.kubo != nil {
		return e.kubo, nil
	}
	k, s := e.o.kubo(), &kuboSeeds{}
	for i, n := range e.lab.Seeders {
		repo := filepath.Join(e.work, "kubo-"+n.Name)
		if err := os.RemoveAll(repo); err != nil { // left by a failed attempt
			return nil, err
		}
		id, err := k.init(ctx, e.seeder(i), repo, n.Addr.String())
		if err != nil {
			return nil, fmt.Errorf("%s: %w", n.Name, err)
		}
		root, err := k.run(ctx, e.seeder(i), repo, "add", "-Q", "--cid-version=1", "--raw-leaves", e.data.path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", n.Name, err)
		}
		if s.root != "" && root != s.root {
			return nil, fmt.Errorf("%s added the data set as %s, s1 as %s", n.Name, root, s.root)
		}
		s.root = root
		s.repos, s.ids = append(s.repos, repo), append(s.ids, id)
	}
	e.kubo = s
	return s, nil
}

// kuboCase downloads with `ipfs get` from Kubo daemons on the seeders of
// idx, connected to the downloader's own daemon over transport ("tcp" or
// "quic-v1").
func kuboCase(idx []int, transport string) func(context.Context, *labEnv, *Run) error {
	return func(ctx context.Context, e *labEnv, r *Run) error {
		seeds, err := e.seedKubo(ctx)
		if err != nil {
			return err
		}
		var peers []string
		for _, i := range idx {
			d, err := e.o.kubo().startDaemon(ctx, e.seeder(i), seeds.repos[i])
			if err != nil {
				return fmt.Errorf("%s: %w", seederName(i), err)
			}
			defer d.stop()
			peers = append(peers, kuboAddr(e.lab.Seeders[i].Addr.String(), transport, seeds.ids[i]))
		}
		return e.kuboGet(ctx, r, seeds.root, peers)
	}
}

// kuboGet starts a daemon with a fresh repository in the downloader,
// connects it to peers and times `ipfs get root`; the output is compared
// with the data set. Peak RSS is the downloader daemon's; CPU is the
// daemon's during the get plus the get command's.
func (e *labEnv) kuboGet(ctx context.Context, r *Run, root string, peers []string) error {
	e.runs++
	dir := filepath.Join(e.work, fmt.Sprintf("kubo-get-%d", e.runs))
	defer os.RemoveAll(dir)
	k, d := e.o.kubo(), e.downloader()
	repo, out := filepath.Join(dir, "repo"), filepath.Join(dir, "out.bin")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if _, err := k.init(ctx, d, repo, e.lab.Downloader.Addr.String()); err != nil {
		return err
	}
	daemon, err := k.startDaemon(ctx, d, repo)
	if err != nil {
		return err
	}
	defer daemon.stop()
	if _, err := k.run(ctx, d, repo, append([]string{"swarm", "connect"}, peers...)...); err != nil {
		return err
	}
	cpu0 := benchkit.ProcCPU(daemon.Pid()).Seconds()
	c, err := e.timedDownload(ctx, r, func(ctx context.Context) *exec.Cmd {
		return k.command(ctx, d, repo, "get", root, "-o", out, "--progress=false")
	})
	r.PeakRSSMB = float64(procPeakRSS(daemon.Pid())) / 1e6
	r.CPUSec = benchkit.ProcCPU(daemon.Pid()).Seconds() - cpu0 + cpuSeconds(c)
	var verr error
	r.Bytes, verr = samePrefix(out, e.data.path)
	if err = errors.Join(err, verr); err != nil {
		r.Error = "ipfs get: " + err.Error()
	}
	if r.TimedOut && verr == nil {
		e.countBlocks(ctx, r, repo)
	}
	return nil
}

// countBlocks, after a time-boxed `ipfs get` (which writes its output
// only at the end), counts as received the unique block bytes the
// downloader's bitswap took in, each checked against its CID by Kubo.
func (e *labEnv) countBlocks(ctx context.Context, r *Run, repo string) {
	out, err := e.o.kubo().run(ctx, e.downloader(), repo, "bitswap", "stat", "--enc=json")
	var st struct{ DataReceived, DupDataReceived int64 }
	if err == nil {
		err = json.Unmarshal([]byte(out), &st)
	}
	if got := min(st.DataReceived-st.DupDataReceived, e.data.size); err == nil && got > r.Bytes {
		r.Event = fmt.Sprintf("time-boxed with %d MB written; bytes are the unique blocks bitswap received (%d MB, %d MB duplicates)",
			r.Bytes/1_000_000, got/1_000_000, st.DupDataReceived/1_000_000)
		r.Bytes = got
	}
}
