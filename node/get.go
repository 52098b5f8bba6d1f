package node

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
	"github.com/zeebo/blake3"

	"github.com/swarm-project/swarm/catalog"
	"github.com/swarm-project/swarm/chunker/manifest"
	"github.com/swarm-project/swarm/node/apitype"
	"github.com/swarm-project/swarm/ratectl"
	"github.com/swarm-project/swarm/swarm/fetch"
)

const connectTimeout = 60 * time.Second

// Get downloads a root into req.Out from the local store and the given
// peers, verifying every chunk, resuming from the journal of an earlier
// attempt, and renaming into place only when complete.
func (n *Node) Get(ctx context.Context, req apitype.GetRequest, progress func(apitype.Progress)) (*apitype.GetResult, error) {
	root, err := parseRoot(req.CID)
	if err != nil {
		return nil, err
	}
	if !filepath.IsAbs(req.Out) {
		return nil, badRequest("get: destination %q is not absolute", req.Out)
	}
	ctx, report, untrack := n.track(ctx, "get", req.CID, progress)
	defer untrack()
	req = n.capDownload(req)
	policy, err := ratePolicy(req)
	if err != nil {
		return nil, err
	}
	gws, err := parseGateways(req.Gateways)
	if err != nil {
		return nil, err
	}
	set, err := n.sources(ctx, root, req.Peers)
	if err != nil {
		return nil, err
	}
	defer set.close()
	waitAds, stopAds := n.askingEndpoints(ctx, root, set.peers, req.NoPeerEndpoints)
	o := n.open(ctx, root, set, policy, req)
	defer o.close()
	m, err := n.resolve(ctx, root, slices.Concat(set.list, gatewaySources(gws, nil)))
	o.waitRates()
	if err != nil {
		stopAds()
		return nil, set.explain(err)
	}
	n.log.Debug("manifest read", "root", root, "chunks", m.NumChunks(), "bytes", m.TotalSize())
	web, err := n.webSources(m, req, gws, waitAds())
	if err != nil {
		return nil, err
	}
	set.list = append(set.list, web...)
	j := o.journal
	n.startHaves(ctx, root, m, j)
	defer n.haves.finish(root)
	more, stopSearch := n.searchMore(ctx, root, m, set)
	defer stopSearch()
	res, err := fetch.Run(ctx, fetch.Config{
		Manifest: m, Dest: req.Out, Sources: withPush(bindRoot(set.list, root, m, o.early), o.push, m), More: more, Journal: j,
		Log:       n.log.With("subsystem", "fetch"),
		Progress:  func(p fetch.Progress) { report(toAPIProgress(p)) },
		Committed: func(w []fetch.WrittenChunk) { n.servePartial(ctx, root, w) },
		Corrupt:   func(s fetch.Source, err error) { n.rememberCorrupt(ctx, s, err) },
		Started:   o.started,
	})
	out := toGetResult(root, res)
	out.Sources = append(out.Sources, set.skippedStats()...)
	if err != nil {
		return out, set.explain(err)
	}
	if err := n.adopt(ctx, m, res.Dest, root); err != nil {
		n.log.Warn("download complete but not indexed for serving", "dest", res.Dest, "err", err)
	}
	if err := n.store.JournalDelete(context.WithoutCancel(ctx), j.id); err != nil {
		n.log.Warn("deleting download journal", "err", err)
	}
	return out, nil
}

// opening is what a get sends together with its manifest request, so
// that one round trip carries them all: the rate request, the first have
// queries and the request for a push of the first chunks.
type opening struct {
	waitRates func() // waits for the rate requests' answers (at once when none was asked)
	rateDone  func() // cancels the rate requests still out and waits for them (close)
	early     *earlyHaves
	push      *pushSource // nil: none asked
	journal   *journal
	started   time.Time // when the transfer started: the manifest request
}

// open sends them; close stops what is still out.
func (n *Node) open(ctx context.Context, root cid.Cid, set *sourceSet, policy ratectl.Policy, req apitype.GetRequest) *opening {
	o := &opening{journal: &journal{store: n.store, id: downloadID(root, req.Out)}, started: time.Now()}
	rctx, cancel := context.WithCancel(ctx)
	wait, release := n.requestRates(rctx, set, policy, req)
	o.waitRates, o.rateDone = wait, func() { cancel(); wait(); release() }
	if policy == 0 {
		// Asking for the peers' own settings again need not hold the
		// first chunk requests (nothing changes when none was set), nor
		// the end of the download: close cancels what is still out.
		o.waitRates = func() {}
	}
	o.early = askHavesEarly(ctx, root, set.peers)
	o.push = n.askPush(ctx, root, set, o.journal)
	return o
}

func (o *opening) close() {
	o.early.stop()
	o.push.close()
	o.rateDone()
}

func parseRoot(s string) (cid.Cid, error) {
	c, err := cid.Decode(s)
	if err != nil {
		return cid.Undef, badRequest("%q is not a CID: %v", s, err)
	}
	if !manifest.IsManifest(c) {
		return cid.Undef, fmt.Errorf("%s: %w (it names a single raw chunk; use the root CID that `swarm add` printed)", c, manifest.ErrNotManifest)
	}
	return c, nil
}

// downloadID names a download's journal: the same root to the same place.
func downloadID(root cid.Cid, dest string) string {
	h := blake3.New()
	h.Write(root.Bytes())
	h.Write([]byte{0})
	h.Write([]byte(filepath.Clean(dest)))
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// sourceSet is what a get or ls pulls from: the local store first, then
// every named peer that answered; it remembers the peers that did not.
type sourceSet struct {
	list        []fetch.Source
	peers       []*peerSource
	unreachable []string
	skipped     []catalog.Ban // peers remembered as bad, not contacted (bans.go)
}

// sources connects to the named peers and to the providers the DHT finds
// for root (the named peers are DHT entry points too).
func (n *Node) sources(ctx context.Context, root cid.Cid, addrs []string) (*sourceSet, error) {
	infos, err := parsePeers(addrs)
	if err != nil {
		return nil, err
	}
	set := &sourceSet{list: []fetch.Source{&localSource{store: n.store}}}
	n.addPeers(ctx, set, infos)
	if len(set.peers) == 0 {
		// Nobody named answered: the DHT is the only hope, wait for it.
		n.addPeers(ctx, set, n.findProviders(ctx, root, findTimeout, nil))
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return set, nil
}

// searchMore looks for further providers in the background while the
// download runs, and hands each one that answers to the fetch engine. The
// returned func cancels the search, waits for it and closes its streams.
func (n *Node) searchMore(ctx context.Context, root cid.Cid, m *manifest.Manifest, set *sourceSet) (<-chan fetch.Source, func()) {
	if n.dht == nil || len(set.peers) == 0 {
		return nil, func() {}
	}
	known := map[peer.ID]bool{}
	for _, ps := range set.peers {
		known[ps.peer] = true
	}
	ctx, cancel := context.WithCancel(ctx)
	more := make(chan fetch.Source)
	found := &sourceSet{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer close(more)
		n.addPeers(ctx, found, n.findProviders(ctx, root, findTimeout, known))
		for _, ps := range found.peers {
			select {
			case more <- &rootPeer{peerSource: ps, root: root, n: uint64(m.NumChunks())}:
			case <-ctx.Done():
				return
			}
		}
	}()
	return more, func() { cancel(); <-done; found.close() }
}

// addPeers connects to peers and adds those that answered to set.
// All are dialled at once: each connect is several round trips, and a
// download from many peers should not wait for them one after another.
func (n *Node) addPeers(ctx context.Context, set *sourceSet, infos []peer.AddrInfo) {
	infos = n.withoutBanned(ctx, set, infos)
	errs := make([]error, len(infos))
	var wg sync.WaitGroup
	for i, ai := range infos {
		wg.Go(func() { errs[i] = n.connect(ctx, ai) })
	}
	wg.Wait()
	for i, ai := range infos {
		if err := errs[i]; err != nil {
			n.log.Warn("cannot reach peer", "peer", ai.ID, "err", err)
			set.unreachable = append(set.unreachable, fmt.Sprintf("%s: %v", ai.ID, err))
			continue
		}
		ps := newPeerSource(n.host, ai.ID)
		set.peers = append(set.peers, ps)
		set.list = append(set.list, ps)
	}
}

func (s *sourceSet) close() {
	for _, p := range s.peers {
		p.close()
	}
}

// explain adds the unreachable and the skipped peers to an "unavailable"
// error.
func (s *sourceSet) explain(err error) error {
	if err == nil || !errors.Is(err, fetch.ErrUnavailable) {
		return err
	}
	if len(s.unreachable) > 0 {
		err = fmt.Errorf("%w; unreachable peers: %s", err, strings.Join(s.unreachable, "; "))
	}
	return s.explainSkipped(err)
}

func parsePeers(addrs []string) ([]peer.AddrInfo, error) {
	var mas []ma.Multiaddr
	for _, a := range addrs {
		m, err := ma.NewMultiaddr(a)
		if err != nil {
			return nil, badRequest("peer %q: %v", a, err)
		}
		mas = append(mas, m)
	}
	infos, err := peer.AddrInfosFromP2pAddrs(mas...)
	if err != nil {
		return nil, badRequest("peer address must end in /p2p/<peer id>: %v", err)
	}
	return infos, nil
}

// resolve fetches and validates the manifest, keeping its blocks so this
// node can serve them too. srcs[0] is the local store, asked first
// directly; the others (peers, then gateways) are asked in order.
func (n *Node) resolve(ctx context.Context, root cid.Cid, srcs []fetch.Source) (*manifest.Manifest, error) {
	get := func(ctx context.Context, c cid.Cid) ([]byte, error) {
		if b, err := n.store.GetBlock(ctx, c); err == nil {
			return b, nil
		}
		var errs []error
		for _, s := range srcs[1:] {
			b, err := s.Fetch(ctx, c)
			if err == nil {
				if perr := n.store.PutBlock(ctx, c, b); perr != nil {
					n.rememberBadBlock(ctx, s, perr)
					errs = append(errs, fmt.Errorf("%s: %w", s.Name(), perr))
					continue
				}
				return b, nil
			}
			errs = append(errs, fmt.Errorf("%s: %w", s.Name(), err))
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		reason := "no peer or gateway to ask (give --peer or --gateway, or configure DHT bootstrap peers; --endpoint mirrors serve files, not the manifest)"
		if len(errs) > 0 {
			reason = errors.Join(errs...).Error()
		}
		return nil, &fetch.UnavailableError{Missing: 1, Reasons: fmt.Sprintf("manifest block %s: %s", c, reason)}
	}
	m, err := manifest.Decode(ctx, root, get)
	if err != nil {
		return nil, fmt.Errorf("manifest %s: %w", root, err)
	}
	return m, nil
}

// adopt indexes a finished download in place and pins it, so this node
// serves what it fetched.
func (n *Node) adopt(ctx context.Context, m *manifest.Manifest, dest string, root cid.Cid) error {
	var locs []catalog.ChunkLocation
	for i, e := range m.Entries {
		if e.Kind != manifest.KindFile || e.Size == 0 {
			continue
		}
		p := dest
		if m.Root == manifest.KindDir {
			p = filepath.Join(dest, filepath.FromSlash(m.Entries[i].Path))
		}
		fi, err := os.Stat(p)
		if err != nil {
			return err
		}
		for j, c := range e.Chunks {
			off := int64(j) * int64(m.ChunkSize)
			size := min(int64(m.ChunkSize), e.Size-off)
			locs = append(locs, catalog.ChunkLocation{CID: c, Loc: catalog.Location{Kind: catalog.InPlace,
				Path: p, Offset: off, Size: int(size), FileSize: fi.Size(), ModTime: fi.ModTime().UnixNano()}})
		}
		if len(locs) >= 4096 {
			if err := n.store.PutLocations(ctx, locs); err != nil {
				return err
			}
			locs = locs[:0]
		}
	}
	if err := n.store.PutLocations(ctx, locs); err != nil {
		return err
	}
	if err := n.store.AddPin(ctx, catalog.Pin{Name: m.Name, Root: root, Added: time.Now()}); err != nil {
		return err
	}
	n.provide(root)
	return nil
}

func toAPIProgress(p fetch.Progress) apitype.Progress {
	return apitype.Progress{Bytes: p.Bytes, Total: p.Total, Resumed: p.Resumed,
		Seconds: p.Elapsed.Seconds(), Sources: toAPISources(p.Sources)}
}

func toAPISources(ss []fetch.SourceStat) []apitype.SourceStat {
	out := make([]apitype.SourceStat, len(ss))
	for i, s := range ss {
		out[i] = apitype.SourceStat(s)
	}
	return out
}

func toGetResult(root cid.Cid, r fetch.Result) *apitype.GetResult {
	out := &apitype.GetResult{Root: root.String(), Dest: r.Dest, Bytes: r.Bytes, Resumed: r.Resumed,
		Total: r.Total, Seconds: r.Duration.Seconds(), Sources: toAPISources(r.Sources)}
	if s := r.Duration.Seconds(); s > 0 {
		out.GoodputMbps = float64(r.Bytes) * 8 / s / 1e6
	}
	return out
}

// ratePolicy validates the requested rate settings; 0 means none asked.
func ratePolicy(req apitype.GetRequest) (ratectl.Policy, error) {
	if req.Policy == "" && req.Rate == 0 && req.MinRate == 0 {
		return 0, nil
	}
	cfg := ratectl.Config{Policy: ratectl.Fair, TargetRate: req.Rate, MinRate: req.MinRate}
	if req.Policy != "" {
		p, err := ratectl.ParsePolicy(req.Policy)
		if err != nil {
			return 0, badRequest("%v", err)
		}
		cfg.Policy = p
	}
	if err := cfg.Validate(); err != nil {
		return 0, badRequest("%v", err)
	}
	return cfg.Policy, nil
}

// requestRates asks every peer, all at once, to send this download with
// the requested policy and rates, or with its own settings when none were
// asked for (p is 0): the connection may be one an earlier download set
// rates on, and a daemon keeps its connections. A get that asks for rates
// holds them on its peers until release; a get that asks for none leaves
// a held peer alone (rateholds.go). It returns a func that waits for the
// answers and one that releases the rates held. A peer that cannot (no
// swarmrc session, an old version) keeps its own settings; the download
// goes on.
func (n *Node) requestRates(ctx context.Context, set *sourceSet, p ratectl.Policy, req apitype.GetRequest) (wait, release func()) {
	var wg sync.WaitGroup
	var releases []func()
	for _, ps := range set.peers {
		if p == 0 && n.rateHolds.held(ps.peer) {
			continue
		}
		if p != 0 {
			releases = append(releases, n.rateHolds.hold(ps.peer))
		}
		wg.Go(func() {
			m, err := ps.requestRate(ctx, uint8(p), uint64(req.Rate), uint64(req.MinRate))
			switch {
			case p == 0: // every get that asks for nothing sends one: quiet
				n.log.Debug("peer sends with its own settings", "peer", ps.peer, "err", err)
			case err != nil:
				n.log.Warn("peer keeps its own rate settings: --policy, --rate and --min-rate apply only over swarmrc", "peer", ps.peer, "err", err)
			default:
				n.log.Info("peer sends with", "peer", ps.peer, "policy", ratectl.Policy(m.Policy), "rate", m.Target, "min", m.MinRate)
			}
		})
	}
	return wg.Wait, func() {
		for _, r := range releases {
			r()
		}
	}
}

// capDownload applies the node's --max-download-rate: each of the named
// peers is asked for at most its share.
func (n *Node) capDownload(req apitype.GetRequest) apitype.GetRequest {
	if n.maxDown <= 0 || len(req.Peers) == 0 {
		return req
	}
	share := n.maxDown / float64(len(req.Peers))
	if req.Rate == 0 || req.Rate > share {
		req.Rate = share
	}
	return req
}

// servePartial indexes chunks a running download has verified and synced,
// so other downloaders can fetch them from this node at once.
func (n *Node) servePartial(ctx context.Context, root cid.Cid, w []fetch.WrittenChunk) {
	locs := make([]catalog.ChunkLocation, len(w))
	idx := make([]uint64, len(w))
	for i, c := range w {
		idx[i] = c.Index
		locs[i] = catalog.ChunkLocation{CID: c.CID, Loc: catalog.Location{Kind: catalog.Partial,
			Path: c.Path, Offset: c.Offset, Size: c.Size, FileSize: c.Offset + int64(c.Size)}}
	}
	if err := n.store.PutLocations(context.WithoutCancel(ctx), locs); err != nil {
		n.log.Warn("cannot serve partial download", "err", err)
		return
	}
	n.haves.add(root, idx)
}

// startHaves announces a running download's verified chunks (the journal
// of an earlier attempt included) to peers that ask.
func (n *Node) startHaves(ctx context.Context, root cid.Cid, m *manifest.Manifest, j *journal) {
	done, err := j.Load(ctx)
	if err != nil {
		done = nil
	}
	n.haves.start(root, uint64(m.NumChunks()), done)
}

// bindRoot wraps peer sources so the fetch engine can ask them which
// chunks of this root they hold.
func bindRoot(srcs []fetch.Source, root cid.Cid, m *manifest.Manifest, early *earlyHaves) []fetch.Source {
	out := make([]fetch.Source, len(srcs))
	for i, s := range srcs {
		if ps, ok := s.(*peerSource); ok {
			s = &rootPeer{peerSource: ps, root: root, n: uint64(m.NumChunks()), early: early.of(ps)}
		}
		out[i] = s
	}
	return out
}
