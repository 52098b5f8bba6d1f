// Package config finds a node's repository directory and reads and writes
// its configuration file and identity key.
package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/swarm-project/swarm/chunker"
)

// File names inside a repo.
const (
	ConfigFile   = "config.json"
	IdentityFile = "identity.key"
	APIFile      = "api" // written by a running daemon: its API address
	EnvRepo      = "SWARM_REPO"
)

// DefaultListen are the libp2p addresses a daemon listens on unless told
// otherwise: IPv4 and IPv6 (a host without IPv6 listens on IPv4 only;
// libp2p goes on while one address works).
var DefaultListen = []string{
	"/ip4/0.0.0.0/udp/4802/swarmrc",
	"/ip4/0.0.0.0/tcp/4801",
	"/ip4/0.0.0.0/udp/4801/quic-v1",
	"/ip6/::/udp/4802/swarmrc",
	"/ip6/::/tcp/4801",
	"/ip6/::/udp/4801/quic-v1",
}

// ErrNotInitialized: the repo has no config; run `swarm init`.
var ErrNotInitialized = errors.New("repo not initialised (run `swarm init`)")

// Config is the content of config.json.
type Config struct {
	Version   int      `json:"version"`
	Listen    []string `json:"listen"`
	API       string   `json:"api"`        // HOST:PORT of the local API; port 0 picks one
	ChunkSize int      `json:"chunk_size"` // bytes per chunk for `swarm add`
	// Bootstrap are multiaddrs (with /p2p/ID) of peers to join the private
	// DHT through; none by default (there is no public Swarm DHT).
	Bootstrap []string `json:"bootstrap,omitempty"`
	// MDNS announces and finds peers on the local network by multicast.
	// Off by default: it sends traffic on every interface.
	MDNS bool `json:"mdns,omitempty"`
}

// Default returns the configuration `swarm init` writes.
func Default() Config {
	return Config{
		Version:   1,
		Listen:    append([]string(nil), DefaultListen...),
		API:       "127.0.0.1:0",
		ChunkSize: chunker.DefaultChunkSize,
	}
}

// RepoDir resolves the repo: the flag if set, else $SWARM_REPO, else ~/.swarm.
func RepoDir(flag string) (string, error) {
	if flag == "" {
		flag = os.Getenv(EnvRepo)
	}
	if flag == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("no --repo, no $%s and no home directory: %w", EnvRepo, err)
		}
		flag = filepath.Join(home, ".swarm")
	}
	return filepath.Abs(flag)
}

// Load reads and validates a repo's config.
func Load(repo string) (Config, error) {
	b, err := os.ReadFile(filepath.Join(repo, ConfigFile))
	if errors.Is(err, os.ErrNotExist) {
		return Config{}, fmt.Errorf("%s: %w", repo, ErrNotInitialized)
	}
	if err != nil {
		return Config{}, err
	}
	var c Config
	if err := json.Unmarshal(b, &c); err != nil {
		return Config{}, fmt.Errorf("%s: %w", filepath.Join(repo, ConfigFile), err)
	}
	if c.Version != 1 {
		return Config{}, fmt.Errorf("%s: unsupported config version %d", filepath.Join(repo, ConfigFile), c.Version)
	}
	if err := chunker.ValidateChunkSize(c.ChunkSize); err != nil {
		return Config{}, fmt.Errorf("%s: chunk_size: %w", filepath.Join(repo, ConfigFile), err)
	}
	return c, nil
}

// Init creates a repo: directory, identity key and config. It refuses to
// overwrite an existing one.
func Init(repo string, c Config) error {
	if err := os.MkdirAll(repo, 0o700); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(repo, ConfigFile)); err == nil {
		return fmt.Errorf("%s is already initialised", repo)
	}
	if err := newIdentity(filepath.Join(repo, IdentityFile)); err != nil {
		return err
	}
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(repo, ConfigFile), append(b, '\n'), 0o600)
}

// writeFileAtomic writes via a temporary file and a rename.
func writeFileAtomic(path string, data []byte, mode os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path))
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// WriteAPIAddr records a running daemon's API address.
func WriteAPIAddr(repo, addr string) error {
	return writeFileAtomic(filepath.Join(repo, APIFile), []byte(addr+"\n"), 0o600)
}
