package node

import (
	"github.com/swarm-project/swarm/chunker/manifest"
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
// by range, and the gateways.
func webSources(m *manifest.Manifest, endpoints []string, gws []*gatewaysrc.Gateway) ([]fetch.Source, error) {
	var out []fetch.Source
	for _, u := range endpoints {
		ep, err := httpsrc.New(u, m, nil)
		if err != nil {
			return nil, badRequest("%v", err)
		}
		out = append(out, ep)
	}
	return append(out, gatewaySources(gws, m)...), nil
}
