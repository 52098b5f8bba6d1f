package session

import (
	"context"
	"crypto/rand"
	"errors"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/swarm-project/swarm/ratectl/wire"
)

// Endpoint owns a net.PacketConn and the connections on it: it reads and
// demultiplexes datagrams in one goroutine, answers handshakes, and dials.
// Close closes every connection and the PacketConn.
type Endpoint struct {
	pc     net.PacketConn
	io     datagramIO
	cfg    Config
	log    *slog.Logger
	jar    cookieJar
	listen bool

	mu        sync.Mutex
	conns     map[wire.ConnID]*Conn
	byInitial map[string]*Conn // server conns by client address and Initial DestID
	unproven  int              // server conns accepted without a cookie, not yet confirmed
	early     int              // of those, handed to Accept on early data (takeEarly)
	earlyBy   map[string]int   // the same, per client IP
	tombs     map[wire.ConnID]*tomb
	closed    bool

	acceptQ   chan *Conn
	closing   chan struct{} // closed by Close
	closeOnce sync.Once
	readDone  chan struct{}
	connWG    sync.WaitGroup
	small     *rxPool     // single-datagram buffers
	retry     tokenBucket // owned by the read goroutine
}

// tomb remembers a closed connection for a while so that late packets are
// answered with its Close, at most closeReplies times.
type tomb struct {
	addr    net.Addr
	until   time.Time
	pkt     []byte
	replies int
}

const (
	tombLife     = 3 * time.Second
	closeReplies = 3
	inQueue      = 2048     // messages queued per connection before drops
	maxInBytes   = 32 << 20 // receive buffer memory queued per connection before drops
	// inFloor is what a connection may queue whatever the memory budget
	// says (64 GRO buffers); past it the queue is charged to the budget
	// like the rest, and refused at its limit.
	inFloor = 4 << 20
)

// NewEndpoint starts an endpoint on pc, which it owns from now on. With
// listen set it accepts incoming connections (see Accept).
func NewEndpoint(pc net.PacketConn, cfg Config, listen bool) (*Endpoint, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	e := &Endpoint{
		pc: pc, cfg: cfg, log: cfg.Logger.With("subsystem", "ratectl/session"),
		jar: cookieJar{secret: cfg.CookieSecret}, listen: listen,
		conns: map[wire.ConnID]*Conn{}, byInitial: map[string]*Conn{}, earlyBy: map[string]int{}, tombs: map[wire.ConnID]*tomb{},
		acceptQ: make(chan *Conn, cfg.AcceptQueue), closing: make(chan struct{}), readDone: make(chan struct{}),
		retry: tokenBucket{rate: cfg.RetryRate, burst: cfg.RetryRate / 10},
	}
	if got := setSocketBuffers(pc, cfg.SocketBuffer); smallSocketBuffer(cfg.SocketBuffer, got) {
		smallBufferOnce.Do(func() {
			e.log.Warn("UDP socket buffers are smaller than asked: fast transfers will lose packets at this host. "+
				"Run the daemon with CAP_NET_ADMIN (as root), or raise the limits: "+
				"sysctl -w net.core.rmem_max=8388608 net.core.wmem_max=8388608",
				"asked_bytes", cfg.SocketBuffer, "got_bytes", got)
		})
	}
	if !setDontFragment(pc) {
		e.log.Debug("cannot set the don't-fragment bit: path MTU probes may pass fragmented")
	}
	e.io = newDatagramIO(pc, &e.cfg)
	e.small = newRxPool(smallRxBuf)
	e.log.Debug("endpoint started", "addr", pc.LocalAddr(), "io", e.io.mode())
	go e.readLoop()
	return e, nil
}

// LocalAddr returns the PacketConn's address.
func (e *Endpoint) LocalAddr() net.Addr { return e.pc.LocalAddr() }

// Accept waits for an incoming connection whose handshake completed.
func (e *Endpoint) Accept(ctx context.Context) (*Conn, error) {
	if !e.listen {
		return nil, errors.New("session: endpoint does not listen")
	}
	select {
	case c := <-e.acceptQ:
		return c, nil
	case <-e.closing:
		return nil, ErrClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Close closes every connection without waiting for acknowledgements,
// closes the PacketConn and waits for all goroutines.
func (e *Endpoint) Close() error {
	var err error
	e.closeOnce.Do(func() {
		e.mu.Lock()
		e.closed = true
		e.mu.Unlock()
		close(e.closing)
		e.connWG.Wait()
		err = e.pc.Close()
		<-e.readDone
	})
	return err
}

func (e *Endpoint) replyFromTomb(t *tomb) {
	e.mu.Lock()
	send := t.replies < closeReplies && time.Now().Before(t.until)
	t.replies++
	e.mu.Unlock()
	if send {
		_, _ = e.pc.WriteTo(t.pkt, t.addr)
	}
}

// handleInitial answers a client's Initial: a Retry with a cookie, or a new
// connection once the cookie proves the address. It allocates nothing per
// peer before that. It returns the connection that must see the Initial
// (to answer with Accept), or nil.
func (e *Endpoint) handleInitial(b []byte, addr net.Addr) *Conn {
	if !e.listen {
		return nil
	}
	p, err := wire.ParseInitial(b)
	if err != nil || p.Version != wire.Version || p.SrcID.IsZero() {
		return nil
	}
	key := string(addrKey(addr)) + string(p.DestID[:])
	e.mu.Lock()
	c := e.byInitial[key]
	e.mu.Unlock()
	if c != nil {
		return c // a repeat: re-send Accept
	}
	now := time.Now()
	proven := e.jar.valid(now, addr, &p)
	if !proven && !e.admitUnproven() {
		e.sendRetry(now, addr, &p, len(b))
		return nil
	}
	c, err = e.newServerConn(addr, key, &p, !proven)
	if err != nil {
		return nil
	}
	return c
}

// admitUnproven reserves a place for a connection accepted without a
// cookie, if there is one (Config.UnprovenLimit). Such a connection costs a
// goroutine and buffers until its client confirms it or the handshake
// timeout ends it; its Accept is smaller than the padded Initial it
// answers, so it amplifies nothing.
func (e *Endpoint) admitUnproven() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.unproven >= e.cfg.UnprovenLimit {
		return false
	}
	e.unproven++
	return true
}

// earlyUnprovenLimit is how many connections whose address no cookie
// proved may be handed to Accept on early data, before their client
// confirms, at once, and earlyPerIP how many of them per client IP. The
// application (libp2p's resource manager) counts connections per address
// from Accept on; a spoofer of a client's address must not be able to use
// up that address's share, nor one spoofed address all the places.
const (
	earlyUnprovenLimit = 4
	earlyPerIP         = 1
)

// takeEarly reports whether c may go to Accept on early data: its address
// was proven by a cookie, or an early place is free (it takes it).
func (e *Endpoint) takeEarly(c *Conn) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	ip := ipKey(c.raddr)
	switch {
	case !c.unproven || c.earlyPlace:
		return true
	case e.early >= earlyUnprovenLimit || e.earlyBy[ip] >= earlyPerIP:
		return false
	}
	e.early++
	e.earlyBy[ip]++
	c.earlyPlace = true
	return true
}

// ipKey is the IP of addr (its string form for other address types).
func ipKey(addr net.Addr) string {
	if u, ok := addr.(*net.UDPAddr); ok {
		return string(u.IP.To16())
	}
	return addr.String()
}

// releaseEarly gives back c's early place, if it holds one.
func (e *Endpoint) releaseEarly(c *Conn) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.releaseEarlyLocked(c)
}

func (e *Endpoint) releaseEarlyLocked(c *Conn) {
	if c.earlyPlace {
		c.earlyPlace = false
		e.early--
		ip := ipKey(c.raddr)
		if e.earlyBy[ip]--; e.earlyBy[ip] <= 0 {
			delete(e.earlyBy, ip)
		}
	}
}

// proven releases c's unproven place, if it holds one.
func (e *Endpoint) proven(c *Conn) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.provenLocked(c)
}

func (e *Endpoint) provenLocked(c *Conn) {
	if c.unproven {
		c.unproven = false
		e.unproven--
	}
}

// sendRetry answers with a cookie, within the retry rate and never more
// than three times the bytes received (anti-amplification).
func (e *Endpoint) sendRetry(now time.Time, addr net.Addr, p *wire.Initial, received int) {
	if !e.retry.take(now) {
		return
	}
	r := wire.Retry{DestID: p.SrcID, OrigDestID: p.DestID, Cookie: e.jar.make(now, addr, p)}
	var buf [64]byte
	out := r.Append(buf[:0])
	if len(out) > 3*received {
		return
	}
	_, _ = e.pc.WriteTo(out, addr)
}

func (e *Endpoint) newServerConn(addr net.Addr, key string, p *wire.Initial, unproven bool) (*Conn, error) {
	cfg := e.cfg.forPeer(addr)
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		if unproven {
			e.unproven--
		}
		return nil, ErrClosed
	}
	id := e.freeIDLocked()
	c := newConn(e, cfg, addr, id, false)
	c.peerID = p.SrcID
	c.initialKey = key
	c.unproven = unproven
	c.st.peerLimit = p.Window
	e.conns[id] = c
	e.byInitial[key] = c
	e.connWG.Add(1)
	go c.run()
	return c, nil
}

// freeIDLocked returns a random connection ID not in use.
func (e *Endpoint) freeIDLocked() wire.ConnID {
	for {
		var id wire.ConnID
		_, _ = rand.Read(id[:])
		if _, used := e.conns[id]; !used && !id.IsZero() {
			if _, dead := e.tombs[id]; !dead {
				return id
			}
		}
	}
}

// Dial opens a connection to raddr and waits for the handshake.
func (e *Endpoint) Dial(ctx context.Context, raddr net.Addr) (*Conn, error) {
	c, err := e.DialEarly(raddr)
	if err != nil {
		return nil, err
	}
	select {
	case <-c.established:
		return c, nil
	case <-c.done:
		return nil, c.err
	case <-ctx.Done():
		c.abort()
		return nil, ctx.Err()
	}
}

// DialEarly opens a connection to raddr without waiting for the
// handshake: what is written at once (up to 16 KiB) goes with the
// Initial as early data, and a protocol whose client speaks first (TLS)
// saves a round trip. A failed handshake shows as an error from Read and
// Write (ErrHandshakeTimeout, or the server's Close).
func (e *Endpoint) DialEarly(raddr net.Addr) (*Conn, error) {
	cfg := e.cfg.forPeer(raddr)
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil, ErrClosed
	}
	id := e.freeIDLocked()
	c := newConn(e, cfg, raddr, id, true)
	e.conns[id] = c
	e.connWG.Add(1)
	e.mu.Unlock()
	go c.run()
	return c, nil
}

// remove forgets a finished connection, leaving a tomb that answers late
// packets with closePkt.
func (e *Endpoint) remove(c *Conn, closePkt []byte) {
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.conns, c.localID)
	e.provenLocked(c)
	e.releaseEarlyLocked(c)
	if c.initialKey != "" {
		delete(e.byInitial, c.initialKey)
	}
	now := time.Now()
	for id, t := range e.tombs {
		if now.After(t.until) {
			delete(e.tombs, id)
		}
	}
	if closePkt != nil && len(e.tombs) < 4096 {
		e.tombs[c.localID] = &tomb{addr: c.raddr, until: now.Add(tombLife), pkt: closePkt}
	}
}

// enqueueAccept hands an established server connection to Accept, or
// reports false if the queue is full.
func (e *Endpoint) enqueueAccept(c *Conn) bool {
	select {
	case e.acceptQ <- c:
		return true
	default:
		return false
	}
}

// tokenBucket limits an event rate; time is passed in.
type tokenBucket struct {
	rate, burst float64
	tokens      float64
	last        time.Time
}

func (t *tokenBucket) take(now time.Time) bool {
	if t.last.IsZero() {
		t.tokens = max(t.burst, 1)
	} else {
		t.tokens = min(max(t.burst, 1), t.tokens+now.Sub(t.last).Seconds()*t.rate)
	}
	t.last = now
	if t.tokens < 1 {
		return false
	}
	t.tokens--
	return true
}

// smallBufferOnce makes the small-buffer warning once per process.
var smallBufferOnce sync.Once

// smallSocketBuffer reports whether the kernel granted a receive buffer
// too small for what was asked. Linux reports twice the size set (half is
// its bookkeeping), so a granted size under half the asked one is short:
// a typical net.core.rmem_max of 208 KiB without CAP_NET_ADMIN holds
// under 2 ms at 1 Gbit/s.
func smallSocketBuffer(asked, got int) bool { return got > 0 && got < asked/2 }
