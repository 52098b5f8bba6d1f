package simnet

import (
	"errors"
	"math/rand/v2"
	"net"
	"os"
	"sync"
	"time"
)

// Link shapes datagrams from one PacketConn to another.
type Link struct {
	Rate      float64       // bytes per second; 0 means unlimited
	Delay     time.Duration // one-way propagation delay
	Queue     int           // drop-tail queue in bytes when Rate > 0; 0 means one second's worth
	Loss      float64       // probability a datagram is lost
	Duplicate float64       // probability a datagram is delivered twice
	Reorder   float64       // probability a datagram is held back by ReorderDelay
	Truncate  float64       // probability a datagram loses a random tail
	// MTU is the largest datagram the link carries; larger ones vanish,
	// as on a path that drops them without telling (0: no limit).
	MTU int
	// ReorderDelay is the extra delay of a reordered datagram (default
	// Delay/4 + 1 ms).
	ReorderDelay time.Duration
}

// Addr is a simulated address.
type Addr string

// Network returns "sim".
func (Addr) Network() string { return "sim" }

func (a Addr) String() string { return string(a) }

// Network joins PacketConns. Its methods are safe for concurrent use.
type Network struct {
	mu    sync.Mutex
	rng   *rand.Rand
	def   Link
	links map[[2]Addr]Link
	paths map[[2]Addr]*path
	hosts map[Addr]*PacketConn
}

// path is the shaping state of one direction.
type path struct{ lastDep time.Time }

// New returns a network whose links default to def; seed fixes the random
// choices.
func New(def Link, seed uint64) *Network {
	return &Network{
		rng: rand.New(rand.NewPCG(seed, 99)), def: def,
		links: map[[2]Addr]Link{}, paths: map[[2]Addr]*path{}, hosts: map[Addr]*PacketConn{},
	}
}

// SetLink sets the link from src to dst.
func (n *Network) SetLink(src, dst Addr, l Link) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.links[[2]Addr{src, dst}] = l
}

// ErrAddrInUse is returned by Listen for a taken address.
var ErrAddrInUse = errors.New("simnet: address in use")

// Listen returns a PacketConn at addr.
func (n *Network) Listen(addr Addr) (*PacketConn, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if _, ok := n.hosts[addr]; ok {
		return nil, ErrAddrInUse
	}
	pc := &PacketConn{
		net: n, addr: addr, inbox: make(chan datagram, 8192),
		egress: make(chan datagram, 1<<16), closed: make(chan struct{}), egressDone: make(chan struct{}),
	}
	pc.readDL.init()
	n.hosts[addr] = pc
	go pc.runEgress()
	return pc, nil
}

// MustListen is Listen that panics on error, for tests.
func (n *Network) MustListen(addr Addr) *PacketConn {
	pc, err := n.Listen(addr)
	if err != nil {
		panic(err)
	}
	return pc
}

type datagram struct {
	b    []byte
	from Addr
	to   Addr
	at   time.Time
}

// shape decides the fate of a datagram sent now: its delivery times (none
// if lost, two if duplicated) and maybe a shortened payload.
func (n *Network) shape(d datagram, now time.Time) (fifo []datagram, late []datagram) {
	n.mu.Lock()
	defer n.mu.Unlock()
	key := [2]Addr{d.from, d.to}
	l, ok := n.links[key]
	if !ok {
		l = n.def
	}
	p := n.paths[key]
	if p == nil {
		p = &path{}
		n.paths[key] = p
	}
	if l.MTU > 0 && len(d.b) > l.MTU {
		return nil, nil
	}
	dep := now
	if l.Rate > 0 {
		queue := l.Queue
		if queue == 0 {
			queue = int(l.Rate)
		}
		wait := max(0, p.lastDep.Sub(now))
		if int(wait.Seconds()*l.Rate)+len(d.b) > queue {
			return nil, nil // tail drop
		}
		dep = now.Add(wait + time.Duration(float64(len(d.b))/l.Rate*float64(time.Second)))
		p.lastDep = dep
	}
	if n.rng.Float64() < l.Loss {
		return nil, nil
	}
	if len(d.b) > 1 && n.rng.Float64() < l.Truncate {
		d.b = d.b[:n.rng.IntN(len(d.b))]
	}
	d.at = dep.Add(l.Delay)
	copies := 1
	if n.rng.Float64() < l.Duplicate {
		copies = 2
	}
	for range copies {
		if n.rng.Float64() < l.Reorder {
			extra := l.ReorderDelay
			if extra == 0 {
				extra = l.Delay/4 + time.Millisecond
			}
			e := d
			e.at = d.at.Add(extra)
			late = append(late, e)
			continue
		}
		fifo = append(fifo, d)
	}
	return fifo, late
}

// deliver puts d in its destination's inbox, dropping it if the host is
// gone or its inbox is full.
func (n *Network) deliver(d datagram) {
	n.mu.Lock()
	dst := n.hosts[d.to]
	n.mu.Unlock()
	if dst == nil {
		return
	}
	select {
	case dst.inbox <- d:
	case <-dst.closed:
	default:
	}
}

// PacketConn is one host on a Network. It implements net.PacketConn.
type PacketConn struct {
	net        *Network
	addr       Addr
	inbox      chan datagram
	egress     chan datagram
	closed     chan struct{}
	closeOnce  sync.Once
	egressDone chan struct{}
	readDL     deadline
}

// runEgress delivers this host's datagrams in order at their times.
func (pc *PacketConn) runEgress() {
	defer close(pc.egressDone)
	t := time.NewTimer(time.Hour)
	defer t.Stop()
	for {
		select {
		case d := <-pc.egress:
			if wait := time.Until(d.at); wait > 0 {
				t.Reset(wait)
				select {
				case <-t.C:
				case <-pc.closed:
					pc.handOff(d)
					return
				}
			}
			pc.net.deliver(d)
		case <-pc.closed:
			pc.handOff()
			return
		}
	}
}

// handOff leaves datagrams still on the wire to timers when the host
// closes: what was sent still arrives, as on a real network.
func (pc *PacketConn) handOff(pending ...datagram) {
	for {
		select {
		case d := <-pc.egress:
			pending = append(pending, d)
			continue
		default:
		}
		break
	}
	for _, d := range pending {
		time.AfterFunc(time.Until(d.at), func() { pc.net.deliver(d) })
	}
}

// WriteTo sends b to addr. Datagrams to unknown addresses vanish.
func (pc *PacketConn) WriteTo(b []byte, addr net.Addr) (int, error) {
	if isClosed(pc.closed) {
		return 0, net.ErrClosed
	}
	d := datagram{b: append([]byte(nil), b...), from: pc.addr, to: Addr(addr.String())}
	fifo, late := pc.net.shape(d, time.Now())
	for _, d := range fifo {
		select {
		case pc.egress <- d:
		default: // the simulated wire is full
		}
	}
	for _, d := range late {
		time.AfterFunc(time.Until(d.at), func() { pc.net.deliver(d) })
	}
	return len(b), nil
}

// ReadFrom reads the next datagram.
func (pc *PacketConn) ReadFrom(b []byte) (int, net.Addr, error) {
	select {
	case d := <-pc.inbox:
		return copy(b, d.b), d.from, nil
	case <-pc.closed:
		return 0, nil, net.ErrClosed
	case <-pc.readDL.wait():
		return 0, nil, os.ErrDeadlineExceeded
	}
}

// Close detaches the host and stops its goroutine.
func (pc *PacketConn) Close() error {
	pc.closeOnce.Do(func() {
		pc.net.mu.Lock()
		delete(pc.net.hosts, pc.addr)
		pc.net.mu.Unlock()
		close(pc.closed)
		<-pc.egressDone
		pc.readDL.stop()
	})
	return nil
}

// LocalAddr returns the host's address.
func (pc *PacketConn) LocalAddr() net.Addr { return pc.addr }

// SetDeadline sets the read deadline; writes never block.
func (pc *PacketConn) SetDeadline(t time.Time) error { return pc.SetReadDeadline(t) }

// SetReadDeadline sets the read deadline.
func (pc *PacketConn) SetReadDeadline(t time.Time) error { pc.readDL.set(t); return nil }

// SetWriteDeadline is accepted and ignored: writes never block.
func (pc *PacketConn) SetWriteDeadline(time.Time) error { return nil }

var _ net.PacketConn = (*PacketConn)(nil)

func isClosed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// deadline is a channel closed when a settable time passes.
type deadline struct {
	mu    sync.Mutex
	timer *time.Timer
	c     chan struct{}
}

func (d *deadline) init() { d.c = make(chan struct{}) }

func (d *deadline) set(t time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.timer != nil {
		d.timer.Stop()
		d.timer = nil
	}
	if isClosed(d.c) {
		d.c = make(chan struct{})
	}
	if t.IsZero() {
		return
	}
	c := d.c
	if dur := time.Until(t); dur > 0 {
		d.timer = time.AfterFunc(dur, func() { close(c) })
		return
	}
	close(c)
}

func (d *deadline) wait() <-chan struct{} {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.c
}

func (d *deadline) stop() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.timer != nil {
		d.timer.Stop()
	}
}
