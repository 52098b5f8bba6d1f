package p2p

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
)

// mssHeader is multistream-select's protocol line, length-prefixed.
var mssHeader = append([]byte{19}, "/multistream/1.0.0\n"...)

// lazySelect takes the round trip out of the dialer's security protocol
// negotiation. libp2p's upgrader proposes the protocol with
// multistream-select (header and "/tls/1.0.0" in one write) and waits for
// the listener to echo both before it starts the handshake: a whole round
// trip, 500 ms on a long path, before the first byte of TLS. Every swarmrc
// listener is a swarm node, which speaks the protocols the dialer offers
// first, so the dialer's side of the connection answers the proposal
// itself, at once, and the proposal, the ClientHello behind it and the
// session's Initial leave together. The listener's real answer, when it
// comes, must be that same echo and is dropped; anything else (a refusal)
// fails the connection with ErrProtocolRefused, as the negotiation would
// have. Only the dialer's first write is looked at: the listener's side
// and every later byte pass through untouched.
type lazySelect struct {
	mu     sync.Mutex
	wrote  chan struct{} // closed at the first write, or at close
	once   sync.Once
	echo   []byte // the synthetic answer, not yet read
	expect []byte // the listener's answer to check and drop
}

// ErrProtocolRefused reports that the listener did not accept the security
// protocol the dialer proposed.
var ErrProtocolRefused = errors.New("swarmrc: the peer refused the proposed security protocol")

func newLazySelect() *lazySelect { return &lazySelect{wrote: make(chan struct{})} }

// isProposal reports whether p is exactly a multistream-select header
// followed by one protocol line.
func isProposal(p []byte) bool {
	rest, ok := bytes.CutPrefix(p, mssHeader)
	if !ok {
		return false
	}
	n, k := binary.Uvarint(rest)
	return k > 0 && n > 1 && n < 128 && uint64(len(rest)-k) == n && rest[len(rest)-1] == '\n'
}

// wrote notes the first write, p.
func (l *lazySelect) onWrite(p []byte) {
	l.once.Do(func() {
		if isProposal(p) {
			l.mu.Lock()
			l.echo = bytes.Clone(p)
			l.expect = bytes.Clone(p)
			l.mu.Unlock()
		}
		close(l.wrote)
	})
}

// stop releases readers waiting for a first write that will not come.
func (l *lazySelect) stop() { l.once.Do(func() { close(l.wrote) }) }

// read serves a read of p from r: the synthetic answer first, then, once
// the listener's real answer has been checked and dropped, r itself.
func (l *lazySelect) read(r io.Reader, p []byte) (int, error) {
	<-l.wrote // the dialer speaks first: wait for its proposal
	l.mu.Lock()
	if len(l.echo) > 0 {
		n := copy(p, l.echo)
		l.echo = l.echo[n:]
		l.mu.Unlock()
		return n, nil
	}
	expect := l.expect
	l.expect = nil
	l.mu.Unlock()
	if len(expect) > 0 {
		if err := checkAnswer(r, expect); err != nil {
			return 0, err
		}
	}
	return r.Read(p)
}

// checkAnswer reads the listener's answer to the proposal, one
// length-prefixed line at a time, and fails at the first that differs
// from the echo expected (a refusal, "na", is shorter: reading the whole
// echo's length would wait for bytes that never come).
func checkAnswer(r io.Reader, expect []byte) error {
	refused := fmt.Errorf("%w (proposed %q)", ErrProtocolRefused, expect[len(mssHeader)+1:])
	for len(expect) > 0 {
		n, k := binary.Uvarint(expect)
		line := expect[:k+int(n)]
		expect = expect[len(line):]
		got := make([]byte, len(line))
		if _, err := io.ReadFull(r, got[:k]); err != nil {
			return err
		}
		if !bytes.Equal(got[:k], line[:k]) {
			return refused
		}
		if _, err := io.ReadFull(r, got[k:]); err != nil {
			return err
		}
		if !bytes.Equal(got, line) {
			return refused
		}
	}
	return nil
}
