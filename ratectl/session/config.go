package session

import (
	"crypto/rand"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/swarm-project/swarm/ratectl"
	"github.com/swarm-project/swarm/ratectl/wire"
)

// Config configures an Endpoint and its connections. The zero value uses
// the defaults below with the fair policy.
type Config struct {
	// Rate configures each connection's controller (policy, target and
	// minimum rates). Zero Policy means ratectl.Fair.
	Rate ratectl.Config
	// MaxDatagram is the largest datagram sent (default 1452: a 1500-byte
	// MTU less IPv4 and UDP headers; on loopback, where the MTU is 64 KiB,
	// the default is wire.MaxPacketSize); at least 1200.
	MaxDatagram int
	// InitialWindow is the receive credit granted at the start (default
	// 1 MiB, at least 16 KiB so that a client's early data fits); MaxWindow
	// caps its growth (default 64 MiB). The credit grows
	// to eight times the measured receive rate times the RTT, or twice the
	// bytes held beyond a hole, whichever is more.
	InitialWindow, MaxWindow int
	// SendBuffer caps bytes written but not yet acknowledged (default
	// 64 MiB: like the receive window, it holds everything past a hole
	// until the hole's repair is acked); Write blocks beyond it.
	SendBuffer int
	// Memory bounds the stream bytes the connections sharing it buffer
	// (see Memory); endpoints given the same one share it. Nil: each
	// Endpoint makes its own of DefaultMemory.
	Memory *Memory
	// HandshakeTimeout bounds Dial (default 10 s).
	HandshakeTimeout time.Duration
	// IdleTimeout closes a connection that received nothing for this long
	// (default 30 s). KeepAlive sends a Ping after this long without
	// sending anything (default 10 s).
	IdleTimeout, KeepAlive time.Duration
	// CloseTimeout bounds how long Close waits for the peer to acknowledge
	// the data written before it (default 10 s).
	CloseTimeout time.Duration
	// AckEvery is how many ack-eliciting packets are acknowledged at once
	// (default 6); MaxAckDelay bounds how long an acknowledgement waits
	// (default 5 ms). Gaps are acknowledged at once. Each ack wakes the
	// sender's read loop: at 100 Mbit/s in the WAN lab, 6 instead of 2
	// cut the seeder's CPU by 40 % with the same goodput; 8 lowered the
	// simulated P5 goodput.
	AckEvery    int
	MaxAckDelay time.Duration
	// AcceptQueue is how many established connections may wait for Accept
	// (default 64); more are refused.
	AcceptQueue int
	// RetryRate caps Retry packets per second per endpoint (default 10000),
	// bounding the traffic a flood of spoofed Initials can reflect.
	RetryRate float64
	// UnprovenLimit is how many server connections may be in their
	// handshake without having proven the client's address with a cookie
	// (default 16). Below it a client is accepted at its first Initial, in
	// one round trip; at it, every new Initial is answered with a Retry
	// first, which costs a legitimate client one more round trip and a
	// flood nothing but a stateless reply. Negative: always Retry.
	UnprovenLimit int
	// SocketBuffer is the kernel send and receive buffer asked for on UDP
	// sockets (default 8 MiB); see setSocketBuffers.
	SocketBuffer int
	// DisableBatchIO makes an Endpoint on a Linux UDP socket call WriteTo
	// and ReadFrom once per datagram instead of sendmmsg and recvmmsg.
	// DisableOffload keeps the batched calls but without UDP GSO and GRO
	// (which are used when the kernel has them, and dropped by themselves
	// if the device refuses GSO). Other PacketConns always use the
	// per-datagram calls.
	DisableBatchIO, DisableOffload bool
	// CookieSecret keys the handshake cookies; random if nil. Endpoints
	// sharing a secret accept each other's cookies.
	CookieSecret []byte
	// Logger receives connection events; slog.Default() if nil.
	Logger *slog.Logger
	// Tracer, if set, receives a rate-control record per connection every
	// TraceInterval (default 100 ms).
	Tracer        ratectl.Tracer
	TraceInterval time.Duration

	// loopbackJumbo: neither MaxDatagram nor the MSS was set, so
	// connections to loopback may use larger datagrams (see forPeer).
	loopbackJumbo bool
	// noRepairCopies turns copyRepair off (tests compare with it).
	noRepairCopies bool
}

// Defaults.
const (
	DefaultMaxDatagram = 1452
	minDatagram        = wire.MinInitialSize
	// earlyDataLimit is how many stream bytes a client sends before the
	// server's Accept (ratectl-wire.md section 3.1).
	earlyDataLimit = 16 << 10
	// earlyPacketLimit bounds the packet numbers of early data: a client
	// sends its few early packets first, numbered from 0.
	earlyPacketLimit = 64
	// maxAckSize bounds an Ack before the client confirms (its early
	// packet numbers are under earlyPacketLimit), for the
	// anti-amplification budget.
	maxAckSize = 256
)

func (c Config) withDefaults() (Config, error) {
	if c.Rate.Policy == 0 {
		c.Rate.Policy = ratectl.Fair
	}
	c.loopbackJumbo = c.MaxDatagram == 0 && c.Rate.MSS == 0
	setDefault(&c.MaxDatagram, DefaultMaxDatagram)
	if c.MaxDatagram < minDatagram || c.MaxDatagram > wire.MaxPacketSize {
		return c, fmt.Errorf("session: MaxDatagram %d outside [%d, %d]", c.MaxDatagram, minDatagram, wire.MaxPacketSize)
	}
	setDefault(&c.InitialWindow, 1<<20)
	c.InitialWindow = max(c.InitialWindow, earlyDataLimit) // a client's early data fits (ratectl-wire.md 3.1)
	setDefault(&c.MaxWindow, 64<<20)
	c.MaxWindow = max(c.MaxWindow, c.InitialWindow)
	setDefault(&c.SendBuffer, 64<<20)
	if c.Memory == nil {
		c.Memory = NewMemory(DefaultMemory)
	}
	setDefault(&c.HandshakeTimeout, 10*time.Second)
	setDefault(&c.IdleTimeout, 30*time.Second)
	setDefault(&c.KeepAlive, 10*time.Second)
	setDefault(&c.CloseTimeout, 10*time.Second)
	setDefault(&c.AckEvery, 6)
	setDefault(&c.MaxAckDelay, 5*time.Millisecond)
	setDefault(&c.AcceptQueue, 64)
	setDefault(&c.RetryRate, 10000)
	setDefault(&c.UnprovenLimit, 16)
	setDefault(&c.SocketBuffer, 8<<20)
	setDefault(&c.TraceInterval, ratectl.DefaultTraceInterval)
	if c.Rate.MSS == 0 {
		c.Rate.MSS = c.MaxDatagram - wire.DataHeaderLen
	}
	if c.CookieSecret == nil {
		c.CookieSecret = make([]byte, 32)
		_, _ = rand.Read(c.CookieSecret)
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if err := c.Rate.Validate(); err != nil {
		return c, err
	}
	return c, nil
}

func setDefault[T comparable](v *T, def T) {
	var zero T
	if *v == zero {
		*v = def
	}
}

// forPeer returns the configuration of a connection with raddr. Unless
// MaxDatagram or the MSS was set, the largest datagram follows the route
// to the peer: to a loopback address as large as the protocol allows
// (loopback's MTU is 64 KiB, and each datagram costs the same parsing and
// bookkeeping whatever its size: 9000 bytes moved about 5 % more bytes per
// CPU-second than 1452 on loopback); elsewhere the MTU of the route's
// device, less the IP and UDP headers, when the system tells it (jumbo
// frames, as between science networks; never under DefaultMaxDatagram),
// else DefaultMaxDatagram. Off loopback it is the largest
// size the path MTU search tries (see pathMTU).
func (c *Config) forPeer(raddr net.Addr) *Config {
	if !c.loopbackJumbo {
		return c
	}
	size := 0
	switch {
	case isLoopback(raddr):
		if loopbackMTU() >= wire.MaxPacketSize+48 {
			size = wire.MaxPacketSize
		}
	default:
		// Only ever raised from the default: a smaller route MTU may be
		// one the kernel learned from an ICMP message (stale, or spoofed,
		// and kept for 10 minutes); the search finds narrower paths.
		if mtu := routeMTU(raddr); mtu > 0 {
			size = min(max(mtu-ipUDPHeaders(raddr), DefaultMaxDatagram), wire.MaxPacketSize)
		}
	}
	if size == 0 || size == c.MaxDatagram {
		return c
	}
	cp := *c
	cp.MaxDatagram = size
	cp.Rate.MSS = cp.MaxDatagram - wire.DataHeaderLen // the loop follows the path's size (syncMSS)
	return &cp
}

// ipUDPHeaders is the size of the IP and UDP headers to raddr.
func ipUDPHeaders(raddr net.Addr) int {
	if u, ok := raddr.(*net.UDPAddr); ok && u.IP.To4() != nil {
		return 20 + 8
	}
	return 40 + 8
}

func isLoopback(a net.Addr) bool {
	u, ok := a.(*net.UDPAddr)
	return ok && u.IP.IsLoopback()
}

// loopbackMTU is the smallest MTU of the loopback interfaces (64 KiB by
// default on Linux; 0 if none is found), read once: a lowered one must not
// turn every large datagram into a failed send.
var loopbackMTU = sync.OnceValue(func() int {
	ifs, err := net.Interfaces()
	if err != nil {
		return 0
	}
	mtu := 0
	for _, i := range ifs {
		if i.Flags&net.FlagLoopback != 0 && (mtu == 0 || i.MTU < mtu) {
			mtu = i.MTU
		}
	}
	return mtu
})
