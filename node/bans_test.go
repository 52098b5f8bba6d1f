package node_test

import (
	"context"
	"errors"
	"maps"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ipfs/go-cid"

	"github.com/swarm-project/swarm/catalog"
	"github.com/swarm-project/swarm/node"
	"github.com/swarm-project/swarm/node/apiclient"
	"github.com/swarm-project/swarm/node/apitype"
	"github.com/swarm-project/swarm/node/nodetest"
	"github.com/swarm-project/swarm/swarm/fetch"
)

// twoDatasets returns two roots and the blocks of both.
func twoDatasets(t *testing.T) (cid.Cid, cid.Cid, map[cid.Cid][]byte) {
	t.Helper()
	data := func(seed byte) []byte {
		b := make([]byte, 12*64<<10)
		for i := range b {
			b[i] = byte(i/3) ^ seed
		}
		return b
	}
	r1, b1 := nodetest.Content(t, "one", map[string][]byte{"f.bin": data(1)}, 64<<10)
	r2, b2 := nodetest.Content(t, "two", map[string][]byte{"f.bin": data(2)}, 64<<10)
	maps.Copy(b1, b2)
	return r1, r2, b1
}

func get(b *node.Node, root cid.Cid, dir string, peers ...string) (*apitype.GetResult, error) {
	return b.Get(context.Background(), apitype.GetRequest{CID: root.String(), Out: filepath.Join(dir, root.String()), Peers: peers}, nil)
}

// dropped is why the download dropped p (as a peer or as a pusher), or "".
func dropped(res *apitype.GetResult, p *nodetest.Peer) string {
	for _, s := range res.Sources {
		if strings.Contains(s.Name, p.Host.ID().String()) && s.Dropped != "" {
			return s.Dropped
		}
	}
	return ""
}

// A peer that served a corrupt chunk is remembered: the next download, of
// other content, does not contact it even though it is named, and says so.
func TestLiarRememberedAcrossDownloads(t *testing.T) {
	r1, r2, blocks := twoDatasets(t)
	liar := nodetest.NewPeer(t, blocks)
	liar.SetCorrupt(func(c cid.Cid) bool { return c.Prefix().Codec == cid.Raw })
	honest := nodetest.NewPeer(t, blocks)
	honest.SetDelay(20 * time.Millisecond) // let the liar be asked first
	b := nodetest.New(t)
	dir := t.TempDir()
	res, err := get(b, r1, dir, liar.Addr(), honest.Addr())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(dropped(res, liar), "corrupt") {
		t.Fatalf("liar not dropped in the first download: %+v", res.Sources)
	}
	bans, err := b.Bans(context.Background())
	if err != nil || len(bans) != 1 || bans[0].Peer != liar.Host.ID().String() || !strings.Contains(bans[0].Reason, "corrupt") {
		t.Fatalf("bans after the first download: %+v, %v", bans, err)
	}

	served := liar.Served.Load()
	res, err = get(b, r2, dir, liar.Addr(), honest.Addr())
	if err != nil {
		t.Fatal(err)
	}
	if got := liar.Served.Load(); got != served {
		t.Fatalf("the liar was asked for %d blocks in the second download", got-served)
	}
	if why := dropped(res, liar); !strings.Contains(why, "not contacted") || !strings.Contains(why, "swarm bans clear") {
		t.Fatalf("second download does not say the liar was skipped: %+v", res.Sources)
	}
}

// A banned peer named alone: the download fails and the error says the
// peer was skipped and how to forget the ban; once forgotten (through the
// API, as `swarm bans clear` does), it is used. An expired ban is
// forgotten by itself.
func TestBannedPeerNamedAlone(t *testing.T) {
	r1, r2, blocks := twoDatasets(t)
	p := nodetest.NewPeer(t, blocks)
	b := nodetest.New(t)
	ctx, now := context.Background(), time.Now()
	id := p.Host.ID().String()
	ban := catalog.Ban{Peer: id, Reason: "sent corrupt data: test", Time: now, Until: now.Add(time.Hour)}
	if err := b.Store().PutBan(ctx, ban); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	_, err := get(b, r1, dir, p.Addr())
	if !errors.Is(err, fetch.ErrUnavailable) || !strings.Contains(err.Error(), id+": not contacted") || !strings.Contains(err.Error(), "swarm bans clear") {
		t.Fatalf("got %v", err)
	}
	if p.Served.Load() != 0 {
		t.Fatal("a banned peer was contacted")
	}
	ep, err := b.ServeAPI("127.0.0.1:0", false)
	if err != nil {
		t.Fatal(err)
	}
	c := apiclient.New(ep.Addr, ep.Token)
	if bans, err := c.Bans(ctx); err != nil || len(bans) != 1 || bans[0].Peer != id || bans[0].Reason != ban.Reason {
		t.Fatalf("Bans = %+v, %v", bans, err)
	}
	if n, err := c.ClearBans(ctx, []string{id}); n != 1 || err != nil {
		t.Fatalf("ClearBans = %d, %v", n, err)
	}
	var ae *apitype.Error
	if _, err := c.ClearBans(ctx, []string{id}); !errors.As(err, &ae) || ae.Code != apitype.CodeNotFound {
		t.Fatalf("clearing a peer that is not banned: %v", err)
	}
	if _, err := c.ClearBans(ctx, []string{"not-a-peer"}); !errors.As(err, &ae) || ae.Code != apitype.CodeUsage {
		t.Fatalf("clearing a malformed peer ID: %v", err)
	}
	if _, err := get(b, r1, dir, p.Addr()); err != nil {
		t.Fatalf("after clearing the ban: %v", err)
	}

	ban.Time, ban.Until = now.Add(-2*node.BanDuration), now.Add(-node.BanDuration)
	if err := b.Store().PutBan(ctx, ban); err != nil {
		t.Fatal(err)
	}
	if _, err := get(b, r2, dir, p.Addr()); err != nil {
		t.Fatalf("with an expired ban: %v", err)
	}
	if _, err := b.Store().GetBan(ctx, id); !errors.Is(err, catalog.ErrNotFound) {
		t.Fatalf("expired ban kept: %v", err)
	}
	for _, who := range []string{id, b.ID().ID} {
		if err := b.Store().PutBan(ctx, catalog.Ban{Peer: who, Time: now, Until: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := c.ClearBans(ctx, nil); n != 2 || err != nil {
		t.Fatalf("clearing every ban: %d, %v", n, err)
	}
}
