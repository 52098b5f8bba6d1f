package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// dataSet is the file every tool moves: random bytes in a directory on
// tmpfs, so disks do not take part.
type dataSet struct {
	dir  string // served by nginx
	name string
	path string
	size int64
	root string // scratch root, removed at the end
}

func makeDataSet(size int64) (*dataSet, error) {
	base := "/dev/shm"
	if st, err := os.Stat(base); err != nil || !st.IsDir() {
		base = os.TempDir()
	}
	root, err := os.MkdirTemp(base, "wanbench-")
	if err != nil {
		return nil, err
	}
	d := &dataSet{root: root, dir: filepath.Join(root, "data"), name: "data.bin", size: size}
	d.path = filepath.Join(d.dir, d.name)
	if err := os.MkdirAll(d.dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.Create(d.path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	src := rand.NewChaCha8([32]byte{'s', 'w', 'a', 'r', 'm'})
	w := bufio.NewWriterSize(f, 1<<20)
	if _, err := io.CopyN(w, src, size); err != nil {
		return nil, err
	}
	return d, w.Flush()
}

func (d *dataSet) scratch(name string) (string, error) {
	p := filepath.Join(d.root, name)
	return p, os.MkdirAll(p, 0o755)
}

func (d *dataSet) remove() { os.RemoveAll(d.root) }

// toolPackages maps each command the baselines need to its Debian package.
var toolPackages = map[string]string{"iperf3": "iperf3", "nginx": "nginx", "aria2c": "aria2", "curl": "curl"}

// ensureTools installs the missing baseline tools with apt-get and returns
// the commands still missing afterwards.
func ensureTools(ctx context.Context, install bool, log *slog.Logger) map[string]bool {
	missing := map[string]bool{}
	var pkgs []string
	for cmd, pkg := range toolPackages {
		if _, err := exec.LookPath(cmd); err != nil {
			missing[cmd] = true
			pkgs = append(pkgs, pkg)
		}
	}
	if len(pkgs) == 0 || !install {
		return missing
	}
	log.Info("installing the baseline tools with apt-get (needed by make bench-wan)", "packages", strings.Join(pkgs, " "))
	env := append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
	for _, args := range [][]string{{"update"}, append([]string{"install", "-y"}, pkgs...)} {
		c := exec.CommandContext(ctx, "apt-get", args...)
		c.Env, c.Stdout, c.Stderr = env, os.Stderr, os.Stderr
		if err := c.Run(); err != nil {
			log.Warn("apt-get failed; the baselines that need these tools are skipped", "args", args, "err", err)
			break
		}
	}
	for cmd := range missing {
		if _, err := exec.LookPath(cmd); err == nil {
			delete(missing, cmd)
		}
	}
	return missing
}

// swarmBin is the swarm CLI built from this repository, or why it is not
// available.
type swarmBin struct {
	path   string
	reason string
}

func buildSwarm(ctx context.Context, repo, dir string) *swarmBin {
	out := filepath.Join(dir, "swarm")
	c := exec.CommandContext(ctx, "go", "build", "-o", out, "./cmd/swarm")
	c.Dir = repo
	if b, err := c.CombinedOutput(); err != nil {
		return &swarmBin{reason: fmt.Sprintf("go build ./cmd/swarm failed: %v: %s", err, firstLine(b))}
	}
	if b, err := exec.CommandContext(ctx, out, "--help").CombinedOutput(); err != nil {
		return &swarmBin{reason: fmt.Sprintf("swarm --help failed: %v: %s", err, firstLine(b))}
	}
	return &swarmBin{path: out}
}

func firstLine(b []byte) string {
	s := strings.TrimSpace(string(b))
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}
