package main

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// swarmCase downloads with swarm from daemons on the seeders of idx, each
// capped at capMbit (0: none), plus an HTTP endpoint (nginx) on each
// seeder of httpIdx.
func swarmCase(idx []int, capMbit float64, httpIdx []int) func(context.Context, *labEnv, *Run) error {
	return func(ctx context.Context, e *labEnv, r *Run) error {
		ds, labels, err := e.startSeeders(ctx, idx, capMbit)
		defer stopDaemons(ds)
		if err != nil {
			return err
		}
		var endpoints []string
		for _, i := range httpIdx {
			ng, err := e.startNginx(ctx, i)
			if err != nil {
				return err
			}
			defer ng.stop()
			u := e.dataURL(i)
			endpoints = append(endpoints, u)
			labels["http "+u] = seederName(i) + " http"
		}
		return e.download(ctx, r, addrs(ds), endpoints, labels, nil)
	}
}

// killCase is quarter's download with s1's daemon killed by PID once
// --kill-at of the file has been verified and written.
func killCase(ctx context.Context, e *labEnv, r *Run) error {
	ds, labels, err := e.startSeeders(ctx, []int{0, 1, 2, 3}, quarterCap)
	defer stopDaemons(ds)
	if err != nil {
		return err
	}
	at := int64(e.o.killAt * float64(e.data.size))
	during := func(ctx context.Context, progress func() int64) {
		r.Event = killWhen(ctx, ds[0], "s1", progress, at, e.data.size)
	}
	if err := e.download(ctx, r, addrs(ds), nil, labels, during); err != nil {
		return err
	}
	if !strings.HasPrefix(r.Event, "killed") {
		r.Failed = "no kill: " + r.Event
	}
	return nil
}

// killWhen kills d (SIGKILL, by PID) once progress reaches at bytes and
// says what it did; it gives up when ctx ends first.
func killWhen(ctx context.Context, d *daemon, name string, progress func() int64, at, size int64) string {
	start := time.Now()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return fmt.Sprintf("the download ended before %s was killed", name)
		case <-tick.C:
		}
		if got := progress(); got >= at {
			pid := d.Pid()
			d.kill()
			return fmt.Sprintf("killed %s's daemon (PID %d, SIGKILL) at %.0f%% (%d MB) after %.1f s",
				name, pid, 100*float64(got)/float64(size), got/1e6, time.Since(start).Seconds())
		}
	}
}

// liarCase downloads from three honest seeders capped at a quarter each
// and the liar on s4, given first.
func liarCase(ctx context.Context, e *labEnv, r *Run) error {
	ds, labels, err := e.startSeeders(ctx, []int{0, 1, 2}, quarterCap)
	defer stopDaemons(ds)
	if err != nil {
		return err
	}
	l, err := e.startLiar(ctx, 3, quarterCap)
	if l != nil {
		defer l.stop()
	}
	if err != nil {
		return err
	}
	const name = "s4 liar"
	labels["peer "+peerID(l.addr)] = name
	if err := e.download(ctx, r, append([]string{l.addr}, addrs(ds)...), nil, labels, nil); err != nil {
		return err
	}
	if _, ok := r.Dropped[name]; ok {
		r.Event = "the liar was dropped"
	} else {
		r.Failed = "the liar is not named in dropped"
	}
	return nil
}

// liarProc is the liar and the real daemon it reads blocks from.
type liarProc struct {
	up   *daemon
	p    *proc
	addr string
}

func (l *liarProc) stop() {
	if l.p != nil {
		l.p.stop()
	}
	l.up.stop()
}

// startLiar runs, in seeder i, a daemon reachable only on the namespace's
// loopback and `multibench liar` in front of it on the lab address.
func (e *labEnv) startLiar(ctx context.Context, i int, capMbit float64) (*liarProc, error) {
	up, err := e.sw.startDaemon(ctx, e.seeder(i), daemonSpec{repo: e.repos[i], ip: "127.0.0.1", transport: "tcp",
		flags: []string{"--listen", "/ip4/127.0.0.1/tcp/0", "--api", "127.0.0.1:0"}})
	if err != nil {
		return nil, fmt.Errorf("liar's upstream daemon: %w", err)
	}
	l := &liarProc{up: up}
	n := e.lab.Seeders[i]
	c := e.seeder(i).command(ctx, e.self, "liar", "--upstream", up.Addr,
		"--listen", "/ip4/"+n.Addr.String()+"/udp/0/swarmrc", "--max-rate-mbit", fmt.Sprint(capMbit))
	if l.p, err = startProc(c, newLogTail(64<<10, liarReady)); err != nil {
		return l, err
	}
	if err := l.p.waitReady(20 * time.Second); err != nil {
		return l, fmt.Errorf("liar: %w", err)
	}
	l.addr = strings.TrimPrefix(l.p.logs.Line(), liarReady)
	return l, nil
}
