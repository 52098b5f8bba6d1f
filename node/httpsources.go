package node

import (
	"github.com/swarm-project/swarm/chunker/manifest"
	"github.com/swarm-project/swarm/node/apitype"
	"github.com/swarm-project/swarm/swarm/fetch"
	"github.com/swarm-project/swarm/swarm/gatewaysrc"
	"github.com/swarm-project/swarm/swarm/httpsrc"
)

// parseGateways checks the --gateway URLs before anything is fetched.
func parseGateways(urls []string) ([]*gatewaysrc.Gateway, error) {
	gws := make([]*gatewaysrc.Gateway, 0, len(urls))
	for _, u := range urls {
		g, err := gatewaysrc.New(u, nil)
		if err != nil {
			return nil, badRequest("gateway: %v", err)
		}
		gws = append(gws, g)
	}
	return gws, nil
}

// gatewaySources lists the gateways as sources; bound to m (which caps
// each chunk's body at its size) once the manifest is known.
func gatewaySources(gws []*gatewaysrc.Gateway, m *manifest.Manifest) []fetch.Source {
	out := make([]fetch.Source, len(gws))
	for i, g := range gws {
		if m != nil {
			g = g.Bind(m)
		}
		out[i] = g
	}
	return out
}

// webSources are the download's HTTP sources: the --endpoint URLs, fetched
// by range, the gateways, and the URLs the peers advertise for root (ads,
// empty with --no-peer-endpoints).
func (n *Node) webSources(m *manifest.Manifest, req apitype.GetRequest,
	gws []*gatewaysrc.Gateway, ads []advert) ([]fetch.Source, error) {
	var out []fetch.Source
	for _, u := range req.Endpoints {
		ep, err := httpsrc.New(u, m, nil)
		if err != nil {
			return nil, badRequest("%v", err)
		}
		out = append(out, ep)
	}
	out = append(out, gatewaySources(gws, m)...)
	out = append(out, n.peerEndpoints(m, ads, req.Endpoints)...)
	return out, nil
}
