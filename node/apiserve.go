package node

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"path/filepath"

	"github.com/swarm-project/swarm/node/api"
	"github.com/swarm-project/swarm/node/config"
)

// APIEndpoint is where a node's API listens and the token it requires.
type APIEndpoint struct {
	Addr  string
	Token string
}

// ServeAPI starts the local HTTP API on addr (HOST:PORT; port 0 picks one).
// With publish, the address and token are written to $REPO/api and
// $REPO/api.token so CLI commands find the daemon; Close removes them.
func (n *Node) ServeAPI(addr string, publish bool) (APIEndpoint, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return APIEndpoint{}, fmt.Errorf("API listen on %s: %w", addr, err)
	}
	var tok [16]byte
	_, _ = rand.Read(tok[:])
	ep := APIEndpoint{Addr: ln.Addr().String(), Token: hex.EncodeToString(tok[:])}
	srv := api.New(n, ep.Token, APIError, n.log.With("subsystem", "api"))
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		if err := srv.Serve(ln); err != nil {
			n.log.Error("API server stopped", "err", err)
		}
	}()
	n.closers = append(n.closers, srv.Close)
	if publish {
		if err := n.publishAPI(ep); err != nil {
			return ep, err
		}
	}
	return ep, nil
}

func (n *Node) publishAPI(ep APIEndpoint) error {
	tokenPath := filepath.Join(n.repo, "api.token")
	if err := os.WriteFile(tokenPath, []byte(ep.Token+"\n"), 0o600); err != nil {
		return err
	}
	if err := config.WriteAPIAddr(n.repo, ep.Addr); err != nil {
		return err
	}
	n.closers = append(n.closers, func() error {
		os.Remove(filepath.Join(n.repo, config.APIFile))
		os.Remove(tokenPath)
		return nil
	})
	return nil
}
