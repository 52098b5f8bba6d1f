package node

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	ma "github.com/multiformats/go-multiaddr"

	"github.com/swarm-project/swarm/chunker/manifest"
	"github.com/swarm-project/swarm/node/apitype"
	rcp2p "github.com/swarm-project/swarm/ratectl/p2p"
)

// ID returns the node's peer ID and its full listen multiaddrs.
//
// Swarmrc addresses come first: they are the ones to pass as --peer (over
// TCP or QUIC a transfer gets their congestion control, and rate requests
// do not apply).
func (n *Node) ID() apitype.ID {
	out := apitype.ID{ID: n.host.ID().String(), Addrs: []string{}}
	addrs := n.host.Addrs()
	slices.SortStableFunc(addrs, func(a, b ma.Multiaddr) int {
		return cmp.Compare(rank(a), rank(b))
	})
	for _, a := range addrs {
		out.Addrs = append(out.Addrs, fmt.Sprintf("%s/p2p/%s", a, n.host.ID()))
	}
	return out
}

// rank orders addresses for ID: swarmrc first.
func rank(a ma.Multiaddr) int {
	if rcp2p.IsAddr(a) {
		return 0
	}
	return 1
}

// Ls lists a root's manifest, fetching it from peers or gateways if it is
// not local.
func (n *Node) Ls(ctx context.Context, rootStr string, peers, gateways []string) (*apitype.Ls, error) {
	root, err := parseRoot(rootStr)
	if err != nil {
		return nil, err
	}
	gws, err := parseGateways(gateways)
	if err != nil {
		return nil, err
	}
	set, err := n.sources(ctx, root, peers)
	if err != nil {
		return nil, err
	}
	defer set.close()
	m, err := n.resolve(ctx, root, slices.Concat(set.list, gatewaySources(gws, nil)))
	if err != nil {
		return nil, set.explain(err)
	}
	out := &apitype.Ls{Root: root.String(), Name: m.Name, ChunkSize: m.ChunkSize, Entries: []apitype.Entry{}}
	for _, e := range m.Entries {
		kind := "file"
		if e.Kind == manifest.KindDir {
			kind = "dir"
		}
		out.Entries = append(out.Entries, apitype.Entry{Path: e.Path, Kind: kind,
			Mode: fmt.Sprintf("%04o", e.Mode), Size: e.Size, Chunks: len(e.Chunks)})
	}
	return out, nil
}

// Pins lists the pinned roots.
func (n *Node) Pins(ctx context.Context) ([]apitype.Pin, error) {
	ps, err := n.store.Pins(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]apitype.Pin, len(ps))
	for i, p := range ps {
		out[i] = apitype.Pin{Name: p.Name, Root: p.Root.String(), Added: p.Added.UTC().Format(time.RFC3339)}
	}
	return out, nil
}

// Status reports the node's identity, peers, index and running transfers.
func (n *Node) Status(ctx context.Context) (*apitype.Status, error) {
	st, err := n.store.Stats(ctx)
	if err != nil {
		return nil, err
	}
	id := n.ID()
	return &apitype.Status{
		ID: id.ID, Addrs: id.Addrs, Peers: len(n.host.Network().Peers()),
		Chunks: st.Chunks, Blobs: st.Blobs, BlobBytes: st.BlobBytes, Pins: st.Pins, Journals: st.Journals,
		Transfers: n.transferList(), Sessions: n.sessions(), SessionTotals: n.sessionTotals(),
		TransportMemory: n.transportMemory(), Uptime: time.Since(n.started).Seconds(),
	}, nil
}

func (n *Node) sessions() []apitype.Session {
	out := []apitype.Session{}
	for _, c := range n.rc.Conns() {
		st := c.Stats
		out = append(out, apitype.Session{
			Remote: c.Remote.String(), Policy: st.Policy.String(), Mode: st.Mode,
			RateMbps: st.Rate * 8 / 1e6, RTTms: ms(st.RTT), BaseRTTms: ms(st.BaseRTT), Loss: st.LossRate, Datagram: st.Datagram,
			BytesSent: st.BytesSent, BytesRetrans: st.BytesRetrans, BytesRecv: st.BytesRecv,
		})
	}
	return out
}

func (n *Node) sessionTotals() apitype.SessionTotals {
	t := n.rc.Totals()
	return apitype.SessionTotals{BytesSent: t.BytesSent, BytesRetrans: t.BytesRetrans, BytesRecv: t.BytesRecv}
}

func (n *Node) transportMemory() apitype.TransportMemory {
	m := n.mem.Stats()
	return apitype.TransportMemory{Limit: m.Limit, Used: m.Used, Peak: m.Peak, Refused: m.Refused}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
