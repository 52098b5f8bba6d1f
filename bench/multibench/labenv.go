package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/swarm-project/swarm/bench/lab"
)

// labEnv is one running lab with the data set added on every seeder.
type labEnv struct {
	o     options
	lab   *lab.Lab
	sw    swarmCLI
	data  *dataSet
	root  string     // the data set's CID
	repos []string   // seeder i's repository
	kubo  *kuboSeeds // the data set in Kubo on every seeder, once a case needs it
	work  string
	self  string // this binary, run as `liar` in a seeder
	log   *slog.Logger
	runs  int // downloads so far, to name scratch directories
}

func (e *labEnv) seeder(i int) place { return place{lab: e.lab, node: e.lab.Seeders[i]} }

func (e *labEnv) downloader() place { return place{lab: e.lab, node: e.lab.Downloader} }

func seederName(i int) string { return fmt.Sprintf("s%d", i+1) }

// seedAll initialises a repository on every seeder and adds the data set
// in place; every seeder must get the same root.
func (e *labEnv) seedAll(ctx context.Context) error {
	for i := range e.lab.Seeders {
		repo := filepath.Join(e.work, "repo-"+seederName(i))
		root, err := e.sw.seed(ctx, e.seeder(i), repo, e.data.path)
		if err != nil {
			return fmt.Errorf("%s: %w", seederName(i), err)
		}
		if e.root != "" && root != e.root {
			return fmt.Errorf("%s added the data set as %s, s1 as %s", seederName(i), root, e.root)
		}
		e.root = root
		e.repos = append(e.repos, repo)
	}
	return nil
}

// startSeeders starts a daemon on each seeder of idx, listening on swarmrc
// on its lab address, with an upload cap in Mbit/s (0: none). It returns
// the daemons started (stop them even on error) and the label of each as
// a swarm source ("peer ID" → "s1").
func (e *labEnv) startSeeders(ctx context.Context, idx []int, capMbit float64) ([]*daemon, map[string]string, error) {
	var ds []*daemon
	labels := map[string]string{}
	for _, i := range idx {
		n := e.lab.Seeders[i]
		flags := []string{"--listen", "/ip4/" + n.Addr.String() + "/udp/0/swarmrc", "--api", "127.0.0.1:0"}
		if capMbit > 0 {
			flags = append(flags, "--max-upload-rate", fmt.Sprintf("%gM", capMbit))
		}
		d, err := e.sw.startDaemon(ctx, e.seeder(i), daemonSpec{repo: e.repos[i], ip: n.Addr.String(),
			transport: "swarmrc", flags: flags, env: e.traceEnv(n.Name)})
		if err != nil {
			return ds, labels, fmt.Errorf("%s: %w", n.Name, err)
		}
		ds = append(ds, d)
		labels["peer "+d.ID] = n.Name
	}
	return ds, labels, nil
}

// traceEnv asks a daemon for a rate-control trace (--trace-dir), one file
// per daemon and download.
func (e *labEnv) traceEnv(node string) []string {
	if e.o.traceDir == "" {
		return nil
	}
	return []string{"SWARM_TRACE=" + filepath.Join(e.o.traceDir, fmt.Sprintf("%s-%d-%s.jsonl", e.lab.ID, e.runs+1, node))}
}

func stopDaemons(ds []*daemon) {
	for _, d := range ds {
		d.stop()
	}
}

func addrs(ds []*daemon) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Addr)
	}
	return out
}

// download runs `swarm get` in the downloader from peers and endpoints
// into a fresh repository and fills r. during, if set, runs alongside
// with a function returning the verified bytes written so far.
func (e *labEnv) download(ctx context.Context, r *Run, peers, endpoints []string, labels map[string]string,
	during func(ctx context.Context, progress func() int64)) error {
	e.runs++
	dir := filepath.Join(e.work, fmt.Sprintf("get-%d", e.runs))
	defer os.RemoveAll(dir)
	repo, out := filepath.Join(dir, "repo"), filepath.Join(dir, "out.bin")
	if _, err := e.sw.run(ctx, e.downloader(), repo, "init"); err != nil {
		return err
	}
	progress := func() int64 { return max(writtenBytes(partialPath(out)), writtenBytes(out)) }
	req := getRequest{Root: e.root, Out: out, Peers: peers, Endpoints: endpoints, Timebox: e.o.timebox, PartialProgress: progress}
	if during != nil {
		req.During = func(ctx context.Context) { during(ctx, progress) }
	}
	wire0 := e.wireBytes()
	got := e.sw.get(ctx, e.downloader(), repo, req)
	r.WireMB = wireDelta(wire0, e.wireBytes())
	fillFromGet(r, got, labels)
	return nil
}

// partialPath is where swarm get writes before renaming into place.
func partialPath(out string) string {
	return filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+".swarm-partial")
}

// fillFromGet copies a `swarm get` outcome into r, naming sources by
// their lab node.
func fillFromGet(r *Run, g getOutcome, labels map[string]string) {
	r.Bytes, r.Total = g.Summary.Bytes, g.Summary.Total
	r.Seconds = g.Summary.Seconds
	if !g.Parsed || r.Seconds <= 0 {
		r.Seconds = g.Wall
	}
	r.TimedOut = g.TimedOut
	r.Sources = relabel(g.Summary.Sources, labels)
	r.Dropped = relabel(g.Summary.Dropped, labels)
	r.PeakRSSMB = float64(g.PeakRSS) / 1e6
	r.CPUSec = g.CPU
	if g.Err != nil {
		r.Error = g.Err.Error()
	}
}

// relabel renames the keys of m that labels knows ("peer 12D3..." → "s1",
// "push from peer 12D3..." → "s1 push"); other keys stay. A "local" source that delivered nothing is left out.
func relabel[V comparable](m map[string]V, labels map[string]string) map[string]V {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]V, len(m))
	var zero V
	for k, v := range m {
		if k == "local" && v == zero {
			continue
		}
		if l, ok := labels[k]; ok {
			k = l
		} else if l, ok := labels[strings.TrimPrefix(k, "push from ")]; ok {
			k = l + " push" // the first chunks, pushed with the manifest
		}
		out[k] = v
	}
	return out
}

// wireBytes is the IP bytes each seeder's link has delivered to the
// downloader so far.
func (e *labEnv) wireBytes() map[string]uint64 {
	st := e.lab.Stats()
	out := map[string]uint64{}
	for i := range e.lab.Seeders {
		out[seederName(i)] = st[2*i+1].Link.DeliveredBytes
	}
	return out
}

// wireDelta returns the megabytes per seeder between two readings,
// leaving out seeders that sent nothing.
func wireDelta(before, after map[string]uint64) map[string]float64 {
	out := map[string]float64{}
	for k, v := range after {
		if d := v - before[k]; d > 0 {
			out[k] = float64(d) / 1e6
		}
	}
	return out
}

// peerID is the ID after /p2p/ in a multiaddr.
func peerID(addr string) string {
	_, id, _ := strings.Cut(addr, "/p2p/")
	return id
}
