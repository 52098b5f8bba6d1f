package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// kuboSwarmPort is the port every Kubo node listens on, TCP and QUIC:
// each lab node has its own namespace, so they never collide.
const kuboSwarmPort = "4001"

// kuboSetting is one value set in a Kubo config, at a dotted path.
type kuboSetting struct {
	path  string
	value any
}

// kuboSettings keeps a Kubo node inside the lab on top of `ipfs init
// --profile=test` (which already empties Bootstrap and turns off mDNS,
// AutoTLS and AutoConf): swarm listeners on ip only, API on the
// namespace's loopback, no gateway, no routing (peers come from `ipfs
// swarm connect`), no announcements, relays, hole punching, NAT mapping,
// AutoNAT service, HTTP retrieval or telemetry.
func kuboSettings(ip string) []kuboSetting {
	none := []string{}
	return []kuboSetting{
		{"Addresses.Swarm", []string{"/ip4/" + ip + "/tcp/" + kuboSwarmPort, "/ip4/" + ip + "/udp/" + kuboSwarmPort + "/quic-v1"}},
		{"Addresses.API", "/ip4/127.0.0.1/tcp/0"},
		{"Addresses.Gateway", none},
		{"Addresses.Announce", none},
		{"Addresses.AppendAnnounce", none},
		{"Bootstrap", none},
		{"Peering.Peers", none},
		{"Discovery.MDNS.Enabled", false},
		{"AutoConf.Enabled", false},
		{"AutoTLS.Enabled", false},
		{"AutoNAT.ServiceMode", "disabled"},
		{"Routing.Type", "none"},
		{"Routing.DelegatedRouters", none},
		{"Ipns.DelegatedPublishers", none},
		{"DNS.Resolvers", map[string]string{}},
		{"Provide.Enabled", false},
		{"HTTPRetrieval.Enabled", false},
		{"Swarm.DisableNatPortMap", true},
		{"Swarm.EnableHolePunching", false},
		{"Swarm.RelayClient.Enabled", false},
		{"Swarm.RelayService.Enabled", false},
		{"Swarm.Transports.Network.Websocket", false},
		{"Swarm.Transports.Network.WebTransport", false},
		{"Swarm.Transports.Network.WebRTCDirect", false},
		{"Plugins.Plugins.telemetry", map[string]any{"Disabled": true, "Config": map[string]string{"Mode": "off"}}},
	}
}

// applySettings sets each value in cfg, creating the objects on its path.
func applySettings(cfg map[string]any, settings []kuboSetting) error {
	for _, s := range settings {
		keys := strings.Split(s.path, ".")
		m := cfg
		for _, k := range keys[:len(keys)-1] {
			next, ok := m[k].(map[string]any)
			if !ok {
				if m[k] != nil {
					return fmt.Errorf("kubo config: %s is not an object", s.path)
				}
				next = map[string]any{}
				m[k] = next
			}
			m = next
		}
		m[keys[len(keys)-1]] = s.value
	}
	return nil
}

// configureKubo rewrites repo/config with kuboSettings and returns the
// node's peer ID.
func configureKubo(repo, ip string) (string, error) {
	path := filepath.Join(repo, "config")
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	var cfg map[string]any
	if err := json.Unmarshal(b, &cfg); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	if err := applySettings(cfg, kuboSettings(ip)); err != nil {
		return "", err
	}
	ident, _ := cfg["Identity"].(map[string]any)
	id, _ := ident["PeerID"].(string)
	if id == "" {
		return "", fmt.Errorf("%s has no Identity.PeerID", path)
	}
	if b, err = json.MarshalIndent(cfg, "", "  "); err != nil {
		return "", err
	}
	return id, os.WriteFile(path, b, 0o600)
}

// kuboAddr is the multiaddr of a lab node's Kubo over transport ("tcp"
// or "quic-v1").
func kuboAddr(ip, transport, id string) string {
	if transport == "tcp" {
		return "/ip4/" + ip + "/tcp/" + kuboSwarmPort + "/p2p/" + id
	}
	return "/ip4/" + ip + "/udp/" + kuboSwarmPort + "/" + transport + "/p2p/" + id
}
