package dht

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/ipfs/go-cid"
	kaddht "github.com/libp2p/go-libp2p-kad-dht"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
)

// Defaults.
const (
	// DefaultProtocolPrefix makes the DHT speak /swarm/kad/1.0.0: a private
	// namespace that IPFS nodes do not answer.
	DefaultProtocolPrefix protocol.ID = "/swarm"
	// DefaultReprovideInterval is how often every provided root is announced
	// again. Provider records live 48 h on the peers that store them.
	DefaultReprovideInterval = 12 * time.Hour
	// DefaultLimit is the number of providers FindProviders looks for when
	// asked for limit < 1.
	DefaultLimit = 20
)

// Mode says whether the node answers DHT queries and stores records.
type Mode int

const (
	// ModeServer answers queries and stores provider records (the default:
	// Swarm nodes are daemons).
	ModeServer Mode = iota
	// ModeClient only asks; it neither answers nor stores records.
	ModeClient
	// ModeAuto is a server unless libp2p learns the node is not reachable
	// (kad-dht's ModeAutoServer: server while reachability is unknown).
	ModeAuto
)

// String returns the name ParseMode accepts.
func (m Mode) String() string {
	switch m {
	case ModeServer:
		return "server"
	case ModeClient:
		return "client"
	case ModeAuto:
		return "auto"
	}
	return fmt.Sprintf("Mode(%d)", int(m))
}

// ParseMode reads "server", "client" or "auto" ("" means server).
func ParseMode(s string) (Mode, error) {
	switch s {
	case "", "server":
		return ModeServer, nil
	case "client":
		return ModeClient, nil
	case "auto":
		return ModeAuto, nil
	}
	return 0, fmt.Errorf("dht: unknown mode %q (want server, client or auto)", s)
}

// Config configures a DHT. The zero value is a server on /swarm with no
// bootstrap peers.
type Config struct {
	// Bootstrap peers are dialled by Bootstrap and whenever the routing
	// table empties. There are no default bootstrap peers.
	Bootstrap []peer.AddrInfo
	// ProtocolPrefix of the DHT protocols (default "/swarm"). "/ipfs" is refused.
	ProtocolPrefix protocol.ID
	// Mode defaults to ModeServer.
	Mode Mode
	// Log receives the DHT's events (default: discarded).
	Log *slog.Logger
	// ReprovideInterval between announcements of every root (default 12 h).
	ReprovideInterval time.Duration

	// onAnnounce, if set, is called after every announcement attempt (tests).
	onAnnounce func(root cid.Cid, peers int, err error)
}

// withDefaults fills unset fields and rejects a public namespace.
func (c Config) withDefaults() (Config, error) {
	if c.ProtocolPrefix == "" {
		c.ProtocolPrefix = DefaultProtocolPrefix
	}
	if c.ProtocolPrefix == kaddht.DefaultPrefix {
		return c, ErrPublicPrefix
	}
	if c.ReprovideInterval <= 0 {
		c.ReprovideInterval = DefaultReprovideInterval
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	if _, err := c.kadMode(); err != nil {
		return c, err
	}
	return c, nil
}

func (c Config) kadMode() (kaddht.ModeOpt, error) {
	switch c.Mode {
	case ModeServer:
		return kaddht.ModeServer, nil
	case ModeClient:
		return kaddht.ModeClient, nil
	case ModeAuto:
		return kaddht.ModeAutoServer, nil
	}
	return 0, fmt.Errorf("dht: invalid mode %v", c.Mode)
}

// kadOptions builds the go-libp2p-kad-dht options: our own prefix, no value
// records (only provider records are needed, and values would let any peer
// store arbitrary data here), and our bootstrap peers only.
func (c Config) kadOptions() []kaddht.Option {
	mode, _ := c.kadMode()
	boot := append([]peer.AddrInfo(nil), c.Bootstrap...)
	return []kaddht.Option{
		kaddht.ProtocolPrefix(c.ProtocolPrefix),
		kaddht.Mode(mode),
		kaddht.DisableValues(),
		kaddht.BootstrapPeers(boot...),
	}
}
