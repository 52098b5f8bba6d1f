package lab

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"sync"
)

// Lab is a running emulated network. Close it to tear it down.
type Lab struct {
	ID         string
	Downloader Node
	Seeders    []Node

	log       *slog.Logger
	realtime  bool
	stop      *stopper
	stateFile string
	devs      []*tunDevice
	dirs      []*direction // 2*i: seeder i+1 up, 2*i+1: seeder i+1 down
	watchdog  *watchdog

	cancel    context.CancelFunc
	readers   sync.WaitGroup
	releasers sync.WaitGroup
	closeOnce sync.Once
	closeErr  error
}

// Check reports, wrapping ErrUnavailable, why a lab cannot run here.
func Check() error {
	if os.Geteuid() != 0 {
		return fmt.Errorf("%w: needs root for network namespaces", ErrUnavailable)
	}
	if _, err := exec.LookPath("ip"); err != nil {
		return fmt.Errorf("%w: the ip command (iproute2) is missing", ErrUnavailable)
	}
	if _, err := os.Stat("/dev/net/tun"); err != nil {
		return fmt.Errorf("%w: /dev/net/tun is missing", ErrUnavailable)
	}
	return nil
}

// Up creates the namespaces and TUN devices, starts the forwarder and
// returns the running lab. It first removes what dead labs left behind.
// ctx bounds the setup only; the lab runs until Close.
func Up(ctx context.Context, cfg Config) (*Lab, error) {
	if err := Check(); err != nil {
		return nil, err
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if cfg.StateDir == "" {
		cfg.StateDir = DefaultStateDir()
	}
	if cfg.TCPBufMax == 0 {
		cfg.TCPBufMax = DefaultTCPBufMax
	}
	if cfg.TCPCongestion == "" {
		cfg.TCPCongestion = DefaultTCPCongestion
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	if removed, err := Down(ctx, cfg.StateDir, false); len(removed) > 0 || err != nil {
		log.Info("removed stale wan lab namespaces", "netns", removed, "err", err)
	}
	l := newLab(cfg, log)
	if err := l.setup(ctx, cfg); err != nil {
		l.Close()
		return nil, err
	}
	return l, nil
}

func newLab(cfg Config, log *slog.Logger) *Lab {
	var b [3]byte
	rand.Read(b[:])
	id := hex.EncodeToString(b[:])
	l := &Lab{ID: id, log: log.With("lab", id), realtime: !cfg.NoRealtime}
	l.Downloader = Node{Name: "d", Netns: namePrefix + id + "-d", Addr: downloaderAddr()}
	for i := range cfg.Seeders {
		name := fmt.Sprintf("s%d", i+1)
		l.Seeders = append(l.Seeders, Node{Name: name, Netns: namePrefix + id + "-" + name, Addr: seederAddr(i + 1)})
	}
	return l
}

// Nodes returns the downloader followed by the seeders.
func (l *Lab) Nodes() []Node { return append([]Node{l.Downloader}, l.Seeders...) }

func (l *Lab) setup(ctx context.Context, cfg Config) error {
	var names []string
	for _, n := range l.Nodes() {
		names = append(names, n.Netns)
	}
	sf, err := writeState(cfg.StateDir, state{ID: l.ID, PID: os.Getpid(),
		StartTime: procStartTime(os.Getpid()), Netns: names})
	if err != nil {
		return fmt.Errorf("state file: %w", err)
	}
	l.stateFile = sf
	if l.stop, err = newStopper(); err != nil {
		return err
	}
	if l.watchdog, err = startWatchdog(names, sf); err != nil {
		return fmt.Errorf("watchdog: %w", err)
	}
	for _, n := range l.Nodes() {
		if err := l.addNode(ctx, n, cfg); err != nil {
			return err
		}
	}
	if err := l.buildDirections(cfg); err != nil {
		return err
	}
	l.start()
	l.log.Info("wan lab up", "netns", names)
	return nil
}

func (l *Lab) addNode(ctx context.Context, n Node, cfg Config) error {
	if err := ip(ctx, "netns", "add", n.Netns); err != nil {
		return err
	}
	dev, err := openTUN("swl"+l.ID+n.Name, l.stop)
	if err != nil {
		return err
	}
	l.devs = append(l.devs, dev)
	return setupNode(ctx, n, dev.name, cfg.TCPBufMax, cfg.TCPCongestion)
}

func (l *Lab) buildDirections(cfg Config) error {
	clk, err := newClock()
	if err != nil {
		return err
	}
	down := l.devs[0]
	for i, s := range cfg.Seeders {
		seed := cfg.Seed*1_000_003 + uint64(2*i)
		up, err := newDirection(l.Seeders[i].Name+"-up", s.Up, seed, l.devs[i+1], clk)
		if err != nil {
			return err
		}
		l.dirs = append(l.dirs, up)
		dn, err := newDirection(l.Seeders[i].Name+"-down", s.Down, seed+1, down, clk)
		if err != nil {
			return err
		}
		l.dirs = append(l.dirs, dn)
	}
	return nil
}

// start runs one reader per device and one releaser per direction, each
// on its own locked, real-time thread.
func (l *Lab) start() {
	ctx, cancel := context.WithCancel(context.Background())
	l.cancel = cancel
	clk := l.dirs[0].clk
	dr := &reader{dev: l.devs[0], clk: clk, log: l.log}
	readers := []*reader{dr}
	for i, s := range l.Seeders {
		dr.addRoute(s.Addr.As4()[3], l.dirs[2*i])
		sr := &reader{dev: l.devs[i+1], clk: clk, log: l.log}
		sr.addRoute(l.Downloader.Addr.As4()[3], l.dirs[2*i+1])
		readers = append(readers, sr)
	}
	var warn sync.Once
	rt := func() {
		if err := lockRealtime(l.realtime); err != nil {
			warn.Do(func() {
				l.log.Warn("no real-time priority for the forwarder; timing suffers on a busy machine", "err", err)
			})
		}
	}
	for _, r := range readers {
		l.readers.Go(func() { rt(); r.run(ctx) })
	}
	for _, d := range l.dirs {
		l.releasers.Go(func() { rt(); d.release(ctx) })
	}
}

// Stats returns the counters of every direction: for seeder i (from 0),
// element 2i is its up direction and 2i+1 its down direction.
func (l *Lab) Stats() []DirStats {
	out := make([]DirStats, len(l.dirs))
	for i, d := range l.dirs {
		out[i] = d.stats()
	}
	return out
}

// Command returns a command that runs name inside node n's namespace.
func (l *Lab) Command(ctx context.Context, n Node, name string, args ...string) *exec.Cmd {
	return exec.CommandContext(ctx, "ip", append([]string{"netns", "exec", n.Netns, name}, args...)...)
}

// Close stops the forwarder, kills processes left in the namespaces,
// deletes the namespaces and the state file. It is safe to call twice.
func (l *Lab) Close() error {
	l.closeOnce.Do(func() { l.closeErr = l.close() })
	return l.closeErr
}

func (l *Lab) close() error {
	if l.cancel != nil {
		l.cancel()
	}
	if l.stop != nil {
		l.stop.stop()
	}
	l.readers.Wait()
	l.releasers.Wait()
	for _, d := range l.dirs {
		d.timer.close()
	}
	for _, d := range l.devs {
		d.close()
	}
	if l.stop != nil {
		l.stop.close()
	}
	var errs []error
	for _, n := range l.Nodes() {
		if err := removeNetns(context.Background(), n.Netns); err != nil {
			errs = append(errs, err)
		}
	}
	if l.stateFile != "" {
		os.Remove(l.stateFile)
	}
	if l.watchdog != nil {
		l.watchdog.stop()
	}
	l.log.Info("wan lab down")
	return errors.Join(errs...)
}
