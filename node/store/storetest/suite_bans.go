package storetest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/swarm-project/swarm/catalog"
	"github.com/swarm-project/swarm/node/store/storecore"
)

func wantBans(t *testing.T, s catalog.Store, want ...catalog.Ban) {
	t.Helper()
	wantList(t, s.Bans, sameBan, want...)
}

func sameBan(a, b catalog.Ban) bool {
	return a.Peer == b.Peer && a.Reason == b.Reason && a.Time.Equal(b.Time) && a.Until.Equal(b.Until)
}

// The store keeps bans as given, expired ones included: the node decides
// what has expired.
func testBans(t *testing.T, s catalog.Store) {
	ctx := t.Context()
	wantBans(t, s)
	now := time.Now() // with a monotonic reading, which the store drops
	b := catalog.Ban{Peer: "12D3KooWb", Reason: "sent corrupt data: chunk 3", Time: now, Until: now.Add(24 * time.Hour)}
	a := catalog.Ban{Peer: "12D3KooWa", Reason: "", Time: now.Add(-48 * time.Hour), Until: now.Add(-24 * time.Hour)}
	for _, x := range []catalog.Ban{b, a} {
		if err := s.PutBan(ctx, x); err != nil {
			t.Fatalf("PutBan(%q): %v", x.Peer, err)
		}
	}
	wantBans(t, s, a, b)
	got, err := s.GetBan(ctx, b.Peer)
	if err != nil || !sameBan(got, b) || got.Until.Location() != time.UTC {
		t.Fatalf("GetBan = %+v, %v; want %+v in UTC", got, err, b)
	}
	b2 := b
	b2.Reason, b2.Until = "again", now.Add(48*time.Hour)
	if err := s.PutBan(ctx, b2); err != nil {
		t.Fatal(err)
	}
	wantBans(t, s, a, b2)
	if err := s.RemoveBan(ctx, a.Peer); err != nil {
		t.Fatal(err)
	}
	wantBans(t, s, b2)
	if err := s.RemoveBan(ctx, a.Peer); !errors.Is(err, catalog.ErrNotFound) {
		t.Fatalf("RemoveBan of a missing ban = %v, want ErrNotFound", err)
	}
	if _, err := s.GetBan(ctx, a.Peer); !errors.Is(err, catalog.ErrNotFound) {
		t.Fatalf("GetBan of a missing ban = %v, want ErrNotFound", err)
	}
}

func testBansInvalid(t *testing.T, s catalog.Store) {
	now := time.Now()
	ok := catalog.Ban{Peer: "p", Time: now, Until: now}
	for _, b := range []catalog.Ban{
		{Time: now, Until: now},
		{Peer: strings.Repeat("x", storecore.MaxBanPeerLen+1), Time: now, Until: now},
		{Peer: "a\x00b", Time: now, Until: now},
		{Peer: "p", Reason: strings.Repeat("r", storecore.MaxBanReasonLen+1), Time: now, Until: now},
		{Peer: "p", Until: now},
		{Peer: "p", Time: now},
	} {
		if err := s.PutBan(t.Context(), b); !errors.Is(err, storecore.ErrInvalid) {
			t.Errorf("PutBan(%+v) = %v, want ErrInvalid", b, err)
		}
	}
	wantBans(t, s)
	long := ok
	long.Peer, long.Reason = strings.Repeat("x", storecore.MaxBanPeerLen), strings.Repeat("r", storecore.MaxBanReasonLen)
	if err := s.PutBan(t.Context(), long); err != nil {
		t.Fatalf("PutBan at the limits: %v", err)
	}
	wantBans(t, s, long)
}
