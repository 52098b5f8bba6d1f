package node

import (
	"context"
	"errors"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/swarm-project/swarm/catalog"
	"github.com/swarm-project/swarm/catalog/dht"
	"github.com/swarm-project/swarm/catalog/mdns"
)

// findTimeout bounds a DHT search for providers. When named peers
// answered, the search runs beside the download and adds what it finds.
const findTimeout = 10 * time.Second

// startDiscovery joins the private DHT (server mode for a daemon, client
// for a dial-only embedded node), schedules announcements of the pinned
// roots and, if asked, starts mDNS.
func (n *Node) startDiscovery(opts Options, listening bool) error {
	boot, err := parsePeers(append(append([]string(nil), n.cfg.Bootstrap...), opts.Bootstrap...))
	if err != nil {
		return err
	}
	mode := dht.ModeServer
	if !listening {
		mode = dht.ModeClient
	}
	d, err := dht.New(n.ctx, n.host, dht.Config{Bootstrap: boot, Mode: mode, Log: n.log.With("subsystem", "dht")})
	if err != nil {
		return err
	}
	n.dht = d
	n.closers = append(n.closers, d.Close)
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		if err := d.Bootstrap(n.ctx); err != nil && n.ctx.Err() == nil {
			n.log.Warn("DHT bootstrap", "err", err)
		}
	}()
	if listening {
		n.scheduleProvides()
	}
	if (n.cfg.MDNS || opts.MDNS) && listening {
		return n.startMDNS()
	}
	return nil
}

func (n *Node) scheduleProvides() {
	pins, err := n.store.Pins(n.ctx)
	if err != nil {
		n.log.Warn("listing pins to announce", "err", err)
		return
	}
	for _, p := range pins {
		n.provide(p.Root)
	}
}

func (n *Node) startMDNS() error {
	m, err := mdns.New(n.host, n.log.With("subsystem", "mdns"))
	if err != nil {
		return err
	}
	m.UseConnect(n.connect)
	if err := m.Start(); err != nil {
		return err
	}
	n.closers = append(n.closers, m.Close)
	return nil
}

// provide announces a root this node can serve (a daemon only: a dial-only
// node cannot be reached).
func (n *Node) provide(root cid.Cid) {
	if n.dht == nil || !n.listening {
		return
	}
	if err := n.dht.Schedule(root); err != nil {
		n.log.Warn("announcing root", "root", root, "err", err)
	}
}

// findProviders asks the DHT for peers holding root, excluding known ones.
func (n *Node) findProviders(ctx context.Context, root cid.Cid, d time.Duration, known map[peer.ID]bool) []peer.AddrInfo {
	if n.dht == nil {
		return nil
	}
	fctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	found, err := n.dht.FindProviders(fctx, root, 20)
	if err != nil && !errors.Is(err, catalog.ErrNoProviders) {
		n.log.Info("DHT search", "root", root, "err", err)
	}
	var out []peer.AddrInfo
	for _, ai := range found {
		if !known[ai.ID] && ai.ID != n.host.ID() {
			out = append(out, ai)
		}
	}
	return out
}
