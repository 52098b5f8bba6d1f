package node

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/swarm-project/swarm/catalog"
	"github.com/swarm-project/swarm/chunker"
	"github.com/swarm-project/swarm/node/apitype"
	"github.com/swarm-project/swarm/node/store/storecore"
	"github.com/swarm-project/swarm/swarm/fetch"
)

// BanDuration is how long a peer that served corrupt data is remembered:
// later downloads (and ls) do not contact it, even when it is named with
// --peer, until the ban expires or `swarm bans clear` forgets it. A day
// outlasts a misbehaving session, yet a peer whose disk was repaired is
// used again tomorrow without anyone's help (docs/design.md).
const BanDuration = 24 * time.Hour

// rememberCorrupt is the fetch engine's Corrupt callback: a peer that sent
// bytes failing verification is banned for BanDuration. Sources named by
// URL (HTTP endpoints, gateways) and the local store are not remembered.
func (n *Node) rememberCorrupt(ctx context.Context, src fetch.Source, err error) {
	var id peer.ID
	switch s := src.(type) {
	case *rootPeer:
		id = s.peer
	case *peerSource:
		id = s.peer
	case *pushSource:
		id = s.peer.peer
	default:
		return
	}
	n.ban(context.WithoutCancel(ctx), id, "sent corrupt data: "+err.Error(), time.Now())
}

// rememberBadBlock bans the peer that sent a manifest block the store
// refused for failing verification.
func (n *Node) rememberBadBlock(ctx context.Context, src fetch.Source, err error) {
	if errors.Is(err, chunker.ErrHashMismatch) {
		n.rememberCorrupt(ctx, src, err)
	}
}

// ban records a ban of id from now for BanDuration.
func (n *Node) ban(ctx context.Context, id peer.ID, reason string, now time.Time) {
	if len(reason) > storecore.MaxBanReasonLen {
		reason = strings.ToValidUTF8(reason[:storecore.MaxBanReasonLen], "")
	}
	b := catalog.Ban{Peer: id.String(), Reason: reason, Time: now, Until: now.Add(BanDuration)}
	if err := n.store.PutBan(ctx, b); err != nil {
		n.log.Warn("cannot remember a peer that served corrupt data", "peer", id, "err", err)
		return
	}
	n.log.Warn("peer served corrupt data; later downloads will not contact it", "peer", id, "until", b.Until.Format(time.RFC3339))
}

// activeBan returns the ban of peer p if it has not expired at now; an
// expired ban is forgotten. A store error counts as no ban: every chunk is
// verified anyway, so a missed ban costs time, never integrity.
func (n *Node) activeBan(ctx context.Context, p string, now time.Time) (catalog.Ban, bool) {
	b, err := n.store.GetBan(ctx, p)
	if err != nil {
		if !errors.Is(err, catalog.ErrNotFound) {
			n.log.Warn("reading remembered bans", "peer", p, "err", err)
		}
		return b, false
	}
	return b, n.unexpired(ctx, b, now)
}

// unexpired reports whether b still holds at now, and forgets it if not.
func (n *Node) unexpired(ctx context.Context, b catalog.Ban, now time.Time) bool {
	if now.Before(b.Until) {
		return true
	}
	if err := n.store.RemoveBan(ctx, b.Peer); err != nil && !errors.Is(err, catalog.ErrNotFound) {
		n.log.Warn("forgetting an expired ban", "peer", b.Peer, "err", err)
	}
	return false
}

// withoutBanned returns infos without the peers remembered as bad, and
// notes each one left out in set.skipped.
func (n *Node) withoutBanned(ctx context.Context, set *sourceSet, infos []peer.AddrInfo) []peer.AddrInfo {
	now := time.Now()
	var out []peer.AddrInfo
	for _, ai := range infos {
		b, banned := n.activeBan(ctx, ai.ID.String(), now)
		if !banned {
			out = append(out, ai)
			continue
		}
		if !slices.ContainsFunc(set.skipped, func(s catalog.Ban) bool { return s.Peer == b.Peer }) {
			n.log.Warn("not contacting a peer remembered as bad", "peer", ai.ID, "reason", b.Reason, "until", b.Until.Format(time.RFC3339))
			set.skipped = append(set.skipped, b)
		}
	}
	return out
}

// skipNote says why a remembered peer was not contacted, and how to undo it.
func skipNote(b catalog.Ban) string {
	return fmt.Sprintf("not contacted: remembered as bad until %s (%s); `swarm bans clear %s` forgets it",
		b.Until.Format(time.RFC3339), b.Reason, b.Peer)
}

// explainSkipped adds the peers that were not contacted to an error.
func (s *sourceSet) explainSkipped(err error) error {
	if len(s.skipped) == 0 {
		return err
	}
	notes := make([]string, len(s.skipped))
	for i, b := range s.skipped {
		notes[i] = "peer " + b.Peer + ": " + skipNote(b)
	}
	return fmt.Errorf("%w; %s", err, strings.Join(notes, "; "))
}

// skippedStats lists the peers that were not contacted as dropped sources
// of a get's result, so the summary and --json name them.
func (s *sourceSet) skippedStats() []apitype.SourceStat {
	out := make([]apitype.SourceStat, len(s.skipped))
	for i, b := range s.skipped {
		out[i] = apitype.SourceStat{Name: "peer " + b.Peer, Dropped: skipNote(b)}
	}
	return out
}

// Bans lists the peers remembered as bad (expired bans are forgotten).
func (n *Node) Bans(ctx context.Context) ([]apitype.Ban, error) {
	bans, err := n.store.Bans(ctx)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	out := []apitype.Ban{}
	for _, b := range bans {
		if n.unexpired(ctx, b, now) {
			out = append(out, apitype.Ban{Peer: b.Peer, Reason: b.Reason,
				Since: b.Time.Format(time.RFC3339), Until: b.Until.Format(time.RFC3339)})
		}
	}
	return out, nil
}

// ClearBans forgets the bans of the given peers, or of every peer when
// none is given, and returns how many it forgot. A peer that is not
// banned is a not-found error.
func (n *Node) ClearBans(ctx context.Context, peers []string) (int, error) {
	if len(peers) == 0 {
		bans, err := n.store.Bans(ctx)
		if err != nil {
			return 0, err
		}
		for _, b := range bans {
			peers = append(peers, b.Peer)
		}
	}
	for i, p := range peers {
		if _, err := peer.Decode(p); err != nil {
			return i, badRequest("%q is not a peer ID: %v", p, err)
		}
		err := n.store.RemoveBan(ctx, p)
		if errors.Is(err, catalog.ErrNotFound) {
			return i, &apitype.Error{Code: apitype.CodeNotFound, Message: fmt.Sprintf("peer %s is not banned", p)}
		}
		if err != nil {
			return i, err
		}
	}
	return len(peers), nil
}
