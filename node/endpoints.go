package node

import (
	"context"
	"slices"

	"github.com/ipfs/go-cid"

	"github.com/swarm-project/swarm/node/apitype"
	"github.com/swarm-project/swarm/node/store/storecore"
	"github.com/swarm-project/swarm/node/wire"
	"github.com/swarm-project/swarm/swarm/httpsrc"
)

// Endpoints lists the HTTP(S) URLs recorded for a root, which this node
// advertises to peers that download it.
func (n *Node) Endpoints(ctx context.Context, rootStr string) (*apitype.Endpoints, error) {
	root, err := parseRoot(rootStr)
	if err != nil {
		return nil, err
	}
	urls, err := n.store.Endpoints(ctx, root)
	if err != nil {
		return nil, err
	}
	return &apitype.Endpoints{Root: root.String(), Endpoints: urls}, nil
}

// EditEndpoints records and forgets endpoints of a root. Removing a URL
// that is not recorded is not an error.
func (n *Node) EditEndpoints(ctx context.Context, rootStr string, req apitype.EndpointsRequest) (*apitype.Endpoints, error) {
	root, err := parseRoot(rootStr)
	if err != nil {
		return nil, err
	}
	urls, err := n.editEndpoints(ctx, root, req.Add, req.Remove)
	if err != nil {
		return nil, err
	}
	return &apitype.Endpoints{Root: root.String(), Endpoints: urls}, nil
}

// checkEndpoints refuses, as a bad request, URLs that cannot be recorded.
func checkEndpoints(urls []string) error {
	for _, u := range urls {
		if _, err := httpsrc.ParseURL(u); err != nil {
			return badRequest("endpoint: %v", err)
		}
		if len(u) > storecore.MaxEndpointLen {
			return badRequest("endpoint longer than %d bytes", storecore.MaxEndpointLen)
		}
	}
	return nil
}

// editEndpoints applies add and remove to root's recorded endpoints (one
// edit at a time) and returns the result.
func (n *Node) editEndpoints(ctx context.Context, root cid.Cid, add, remove []string) ([]string, error) {
	if err := checkEndpoints(add); err != nil {
		return nil, err
	}
	if len(add)+len(remove) == 0 {
		return n.store.Endpoints(ctx, root)
	}
	n.endpointsMu.Lock()
	defer n.endpointsMu.Unlock()
	cur, err := n.store.Endpoints(ctx, root)
	if err != nil {
		return nil, err
	}
	next := slices.DeleteFunc(cur, func(u string) bool { return slices.Contains(remove, u) })
	for _, u := range add {
		if !slices.Contains(next, u) {
			next = append(next, u)
		}
	}
	if len(next) > storecore.MaxEndpoints {
		return nil, badRequest("%s would have %d endpoints, at most %d", root, len(next), storecore.MaxEndpoints)
	}
	if err := n.store.PutEndpoints(ctx, root, next); err != nil {
		return nil, err
	}
	return next, nil
}

// endpointList answers a peer's ENDPOINTS request with the URLs recorded
// for the root (only those this node's user recorded: URLs learned from
// peers are never passed on).
func (n *Node) endpointList(ctx context.Context, req wire.Message) wire.Message {
	urls, err := n.store.Endpoints(ctx, req.CID)
	if err != nil {
		n.log.Warn("listing endpoints for a peer", "root", req.CID, "err", err)
		return wire.Message{Type: wire.TypeError, ID: req.ID, Code: wire.CodeInternal, Text: "internal error"}
	}
	urls = slices.DeleteFunc(urls, func(u string) bool { return len(u) > wire.MaxEndpointLen })
	return wire.Message{Type: wire.TypeEndpointList, ID: req.ID, URLs: urls[:min(len(urls), wire.MaxEndpoints)]}
}
