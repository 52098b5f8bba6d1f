package lab

import (
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/swarm-project/swarm/bench/linkem"
)

// ErrUnavailable is wrapped when the lab cannot run here: not root, no ip
// command or no TUN device.
var ErrUnavailable = errors.New("wan lab unavailable")

// ErrConfig is wrapped by configuration errors.
var ErrConfig = errors.New("wan lab: invalid configuration")

// DefaultTCPBufMax is the maximum TCP socket buffer set in each namespace,
// large enough for a bandwidth-delay product of 1 Gbit/s at 500 ms.
const DefaultTCPBufMax = 64 << 20

// DefaultTCPCongestion is Linux's default congestion control.
const DefaultTCPCongestion = "cubic"

// LinkSpec gives the two directions of one seeder's link.
type LinkSpec struct {
	Down linkem.Config // seeder to downloader: the direction data flows in
	Up   linkem.Config // downloader to seeder: requests and acknowledgements
}

// Symmetric returns a LinkSpec with the same configuration both ways.
func Symmetric(c linkem.Config) LinkSpec { return LinkSpec{Down: c, Up: c} }

// Path is the common way to describe a link: a bottleneck rate, a round
// trip split evenly between the directions, random loss applied in both
// directions, and a drop-tail queue expressed in time.
type Path struct {
	RateMbit float64
	RTT      time.Duration
	LossPct  float64
	QueueMs  float64
}

// Link returns the per-direction model of the path.
func (p Path) Link() linkem.Config {
	return linkem.Config{
		Rate:       int64(p.RateMbit * 1e6),
		Delay:      p.RTT / 2,
		Loss:       linkem.LossSpec{Prob: p.LossPct / 100},
		QueueDelay: time.Duration(p.QueueMs * float64(time.Millisecond)),
	}
}

// Config describes a lab.
type Config struct {
	// Seeders has one link per seeder; at least one.
	Seeders []LinkSpec
	// Seed makes the random loss, jitter and reordering repeatable.
	Seed uint64
	// StateDir holds state files; default /run/swarm-wanlab, or
	// $TMPDIR/swarm-wanlab when /run is not writable.
	StateDir string
	// TCPBufMax is the maximum TCP buffer in each namespace
	// (DefaultTCPBufMax if zero).
	TCPBufMax int
	// TCPCongestion is the TCP congestion control of the lab's routes
	// (DefaultTCPCongestion if empty), so that tools that do not choose
	// one behave as on a stock Linux host whatever this host's default is.
	TCPCongestion string
	// NoRealtime keeps the forwarder's threads at normal priority. By
	// default they run SCHED_FIFO so a busy machine delays packets less.
	NoRealtime bool
	// Logger receives lifecycle messages (slog.Default if nil).
	Logger *slog.Logger
}

func (c Config) validate() error {
	if len(c.Seeders) == 0 || len(c.Seeders) > maxSeeders {
		return fmt.Errorf("%w: need 1 to %d seeders, got %d", ErrConfig, maxSeeders, len(c.Seeders))
	}
	for i, s := range c.Seeders {
		if err := s.Down.Validate(); err != nil {
			return fmt.Errorf("seeder %d down: %w", i+1, err)
		}
		if err := s.Up.Validate(); err != nil {
			return fmt.Errorf("seeder %d up: %w", i+1, err)
		}
	}
	return nil
}

const maxSeeders = 200

// TuneProcess prepares the process that hosts a lab: it turns off
// proportional garbage collection (collecting only when the heap reaches
// memLimit bytes), so collections do not pause the forwarder, and raises
// GOMAXPROCS to 32 so that a real-time thread coming back from a system
// call always finds a free P instead of waiting for one held by a normal
// thread that the kernel has set aside on a busy machine. Processes that
// host a lab for measurements call it once at start.
func TuneProcess(memLimit int64) {
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(memLimit)
	runtime.GOMAXPROCS(max(runtime.GOMAXPROCS(0), 32))
}

// Node is one host of the lab.
type Node struct {
	Name  string     // "d" or "s1".."sN"
	Netns string     // network namespace name
	Addr  netip.Addr // its address on wan0
}

func downloaderAddr() netip.Addr { return netip.AddrFrom4([4]byte{10, 77, 0, 1}) }

func seederAddr(i int) netip.Addr { return netip.AddrFrom4([4]byte{10, 77, 0, byte(10 + i)}) }
