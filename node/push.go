package node

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/network"

	"github.com/swarm-project/swarm/chunker/manifest"
	"github.com/swarm-project/swarm/node/wire"
	"github.com/swarm-project/swarm/swarm/fetch"
)

// A download asks its first peer to push the first chunks of the root
// together with the manifest request (PUSH, docs/spec/chunk-protocol.md):
// they arrive in the round trip that otherwise carries only the manifest.
// A sender's startup is slow (its first round trips carry tens of
// kilobytes), so one default-size chunk fills them; a file of one chunk
// arrives a round trip sooner.
const (
	// pushBudget is how many chunk bytes a download asks to be pushed:
	// one default-size chunk. The first chunk requests go out a round trip
	// later, and a pushed chunk a peer also asks for would cross the
	// network twice, so more is not better.
	pushBudget = 1 << 20
	// maxPushBytes caps what a responder pushes, whatever was asked.
	maxPushBytes = 4 << 20
	// maxPushChunks caps the plan (spec: 16 chunks), so a push of many
	// tiny files costs a responder at most that many reads.
	maxPushChunks = 16
	// pushIdle ends a push that brings no whole block for this long; its
	// chunks then go to the peers. A responder pushes at once or not at
	// all, and a 1 MiB block takes under 10 s down to 0.9 Mbit/s.
	pushIdle = 10 * time.Second
	// maxPushesAtOnce caps the pushes a node serves at the same time;
	// others get an empty push.
	maxPushesAtOnce = 4
	// maxPushPlans caps the plans a node keeps decoded (pushPlans).
	maxPushPlans = 256
)

// errPushOver is what a pushed chunk gets when the push ended without it.
var errPushOver = fmt.Errorf("%w: not pushed", fetch.ErrNotHave)

// errPushBroken ends a push that broke the protocol.
var errPushBroken = errors.New("push: protocol violation")

// plannedChunk is one chunk of a push plan.
type plannedChunk struct {
	c    cid.Cid
	size uint64
}

// pushPlan is the chunk prefix a push of budget bytes covers: the longest
// prefix of the manifest's chunk list (entries in order, chunks in order)
// of at most maxPushChunks chunks whose sizes add up to at most budget.
// Both ends compute it.
func pushPlan(m *manifest.Manifest, budget uint64) []plannedChunk {
	var plan []plannedChunk
	total := uint64(0)
	cs := int64(m.ChunkSize)
	for _, e := range m.Entries {
		for i, c := range e.Chunks {
			size := uint64(min(cs, e.Size-int64(i)*cs))
			if total+size > budget || len(plan) == maxPushChunks {
				return plan
			}
			total += size
			plan = append(plan, plannedChunk{c: c, size: size})
		}
	}
	return plan
}

// pushPlans is a responder's memory of push plans: decoding a manifest
// block of up to 1 MiB costs milliseconds of CPU, and a PUSH is a 50-byte
// request, so each root is decoded once (roots are content-addressed: a
// plan never goes stale) and only a few pushes run at once.
type pushPlans struct {
	mu    sync.Mutex
	plans map[cid.Cid][]plannedChunk // nil entry: nothing to push for that root
	busy  int
}

// begin takes a push slot, or reports false when all are taken.
func (pp *pushPlans) begin() bool {
	pp.mu.Lock()
	defer pp.mu.Unlock()
	if pp.busy >= maxPushesAtOnce {
		return false
	}
	pp.busy++
	return true
}

func (pp *pushPlans) done() {
	pp.mu.Lock()
	pp.busy--
	pp.mu.Unlock()
}

// plan returns root's plan for budget bytes, decoding it on first use.
func (pp *pushPlans) plan(ctx context.Context, root cid.Cid, budget uint64, get func(context.Context, cid.Cid) ([]byte, error)) ([]plannedChunk, error) {
	pp.mu.Lock()
	full, known := pp.plans[root]
	pp.mu.Unlock()
	if !known {
		var err error
		if full, err = decodePlan(ctx, root, get); err != nil && !definitive(err) {
			// This node may hold it later, or the store or the context
			// failed this once: not remembered.
			return nil, err
		}
		pp.mu.Lock()
		if pp.plans == nil || len(pp.plans) >= maxPushPlans {
			pp.plans = map[cid.Cid][]plannedChunk{}
		}
		pp.plans[root] = full
		pp.mu.Unlock()
	}
	total := uint64(0)
	for i, c := range full {
		if total += c.size; total > budget {
			return full[:i], nil
		}
	}
	return full, nil
}

// errMultiBlock: a manifest of more than one block is not pushed (its
// chunk list would cost the seeder a walk of many blocks per request).
var errMultiBlock = errors.New("manifest has more than one block")

// definitive reports whether a failure to plan a push will recur: the
// root is no manifest this node can push. Anything else (not held yet, a
// store error, a cancelled context) may not, and is not remembered.
func definitive(err error) bool {
	return errors.Is(err, errMultiBlock) || errors.Is(err, manifest.ErrNotManifest) ||
		errors.Is(err, manifest.ErrInvalid) || errors.Is(err, manifest.ErrUnsupportedVersion)
}

// decodePlan decodes root, if its manifest is a single block, into its
// plan for maxPushBytes.
func decodePlan(ctx context.Context, root cid.Cid, get func(context.Context, cid.Cid) ([]byte, error)) ([]plannedChunk, error) {
	m, err := manifest.Decode(ctx, root, func(ctx context.Context, c cid.Cid) ([]byte, error) {
		if !c.Equals(root) {
			return nil, errMultiBlock
		}
		return get(ctx, c)
	})
	if err != nil {
		return nil, err
	}
	return pushPlan(m, maxPushBytes), nil
}

// push answers PUSH: the planned chunks this node holds, in order, each a
// BLOCK whose id is its index in the chunk list, then the end of the
// stream. Nothing is pushed for a root it cannot decode from one block,
// nor while maxPushesAtOnce pushes run. A write that fails (the requester
// reset the stream) ends it.
func (cs *chunkServer) push(s network.Stream, req wire.Message) error {
	if !cs.plans.begin() {
		return nil
	}
	defer cs.plans.done()
	plan, err := cs.plans.plan(cs.ctx, req.CID, min(req.Budget, maxPushBytes), cs.store.GetBlock)
	if err != nil {
		cs.log.Debug("nothing to push", "root", req.CID, "err", err)
		return nil
	}
	var out []byte
	for i, c := range plan {
		reply := cs.answer(wire.Message{Type: wire.TypeGet, ID: uint64(i), CID: c.c})
		if reply.Type != wire.TypeBlock {
			continue // not held (a partial holder): the downloader asks elsewhere
		}
		if out, err = cs.write(s, out, &reply); err != nil {
			return err
		}
	}
	return nil
}

// pushSource is a fetch source for the chunks a peer pushes: a reader
// goroutine stores them as they come; Fetch waits for one, and fails with
// ErrNotHave once the push has passed it or ended without it. It holds at
// most a push budget of data.
type pushSource struct {
	peer *peerSource
	idle time.Duration // the longest wait for a block
	stop context.CancelFunc
	done chan struct{} // the reader exited

	mu      sync.Mutex
	index   map[cid.Cid]uint64 // planned chunks, set by bind
	planned int
	got     map[uint64][]byte // arrived, not yet taken
	next    uint64            // every index below is in got, taken or skipped
	ended   bool
	changed chan struct{} // closed and replaced when got, next or ended change
}

// startPush asks ps to push the first pushBudget bytes of root's chunks,
// each block within idle of the last. It sends the request at once,
// without waiting for an answer.
func startPush(ctx context.Context, root cid.Cid, ps *peerSource, idle time.Duration) *pushSource {
	ctx, cancel := context.WithCancel(ctx)
	p := &pushSource{peer: ps, idle: idle, stop: cancel, done: make(chan struct{}),
		got: map[uint64][]byte{}, changed: make(chan struct{})}
	go p.read(ctx, root)
	return p
}

func (p *pushSource) Name() string { return "push from " + p.peer.Name() }

// bind tells the source which chunks the push covers, once the manifest
// is read.
func (p *pushSource) bind(m *manifest.Manifest) {
	plan := pushPlan(m, pushBudget)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.planned = len(plan)
	p.index = make(map[cid.Cid]uint64, len(plan))
	for i, c := range plan {
		if _, dup := p.index[c.c]; !dup {
			p.index[c.c] = uint64(i)
		}
	}
}

// Have says the source holds the planned chunks and will hold no more.
func (p *pushSource) Have(context.Context) (func(int) bool, bool, error) {
	p.mu.Lock()
	n := p.planned
	p.mu.Unlock()
	return func(i int) bool { return i < n }, false, nil
}

// Fetch returns chunk c once pushed.
func (p *pushSource) Fetch(ctx context.Context, c cid.Cid) ([]byte, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	i, ok := p.index[c]
	if !ok {
		return nil, fmt.Errorf("%s: %w", c, errPushOver)
	}
	for {
		if data, ok := p.got[i]; ok {
			delete(p.got, i)
			return data, nil
		}
		if p.ended || p.next > i {
			return nil, fmt.Errorf("%s: %w", c, errPushOver)
		}
		ch := p.changed
		p.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
		}
		p.mu.Lock()
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
}

// read sends the request and stores what comes back until the responder
// ends the stream, breaks the protocol, brings no whole block for
// p.idle, or ctx ends.
func (p *pushSource) read(ctx context.Context, root cid.Cid) {
	defer close(p.done)
	defer p.end()
	s, err := openChunkStream(ctx, p.peer.h, p.peer.peer)
	if err != nil {
		return
	}
	defer func() { _ = s.Reset() }()
	if !blockDeadline(ctx, s, p.idle) {
		return
	}
	stop := context.AfterFunc(ctx, func() { _ = s.SetDeadline(time.Now()) })
	defer stop()
	req, err := wire.AppendFrame(nil, &wire.Message{Type: wire.TypePush, CID: root, Budget: pushBudget})
	if err != nil {
		return
	}
	if _, err := s.Write(req); err != nil {
		return
	}
	_ = s.CloseWrite()
	r := bufio.NewReaderSize(s, 64<<10)
	left := uint64(pushBudget)
	for blockDeadline(ctx, s, p.idle) {
		// A frame is a type byte, an id of at most 10 bytes and the data.
		body, err := wire.ReadFrameMax(r, nil, left+11)
		if err != nil {
			return // the end (io.EOF), silence, or a peer that does not push
		}
		m, err := wire.Decode(body)
		if err != nil || m.Type != wire.TypeBlock || len(m.Data) == 0 || uint64(len(m.Data)) > left {
			return // a peer that does not push answers otherwise, or resets
		}
		left -= uint64(len(m.Data))
		if p.store(m.ID, m.Data) != nil {
			return
		}
	}
}

// blockDeadline gives the next block idle to arrive: a trickle of bytes
// does not keep a push alive. It reports false once ctx has ended (the
// deadline that ctx's end set then holds).
func blockDeadline(ctx context.Context, s network.Stream, idle time.Duration) bool {
	if ctx.Err() != nil {
		return false
	}
	_ = s.SetReadDeadline(time.Now().Add(idle))
	if ctx.Err() != nil {
		_ = s.SetReadDeadline(time.Now()) // ended meanwhile: undo the extension
		return false
	}
	return true
}

// store keeps a pushed block. An index out of order or outside the plan
// (at most maxPushChunks, or the bound plan) breaks the protocol.
func (p *pushSource) store(i uint64, data []byte) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if i < p.next || i >= maxPushChunks || p.index != nil && i >= uint64(p.planned) {
		return errPushBroken
	}
	p.got[i] = data
	p.next = i + 1
	p.signal()
	return nil
}

func (p *pushSource) end() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ended = true
	p.signal()
}

// signal wakes the waiting Fetches. Holds mu.
func (p *pushSource) signal() {
	close(p.changed)
	p.changed = make(chan struct{})
}

// close stops the push and waits for its reader.
func (p *pushSource) close() {
	if p == nil {
		return
	}
	p.stop()
	<-p.done
}

// askPush asks the first peer to push the first chunks, unless the
// download resumes (what it holds would likely be pushed again) or the
// manifest is here already (there is no round trip to fill, and the
// content may be too).
func (n *Node) askPush(ctx context.Context, root cid.Cid, set *sourceSet, j *journal) *pushSource {
	if len(set.peers) == 0 {
		return nil
	}
	if done, err := j.Load(ctx); err != nil || len(done) > 0 {
		return nil
	}
	if _, err := n.store.GetBlock(ctx, root); err == nil {
		return nil
	}
	return startPush(ctx, root, set.peers[0], pushIdle)
}

// withPush puts the push source second, after the local store: the
// scheduler gives the chunks it holds to it, since the peers hold rarer
// ones (chunks only they have).
func withPush(srcs []fetch.Source, p *pushSource, m *manifest.Manifest) []fetch.Source {
	if p == nil {
		return srcs
	}
	p.bind(m)
	return slices.Insert(srcs, min(1, len(srcs)), fetch.Source(p))
}
