package config

import (
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"

	"github.com/libp2p/go-libp2p/core/crypto"
)

func newIdentity(path string) error {
	sk, _, err := crypto.GenerateEd25519Key(rand.Reader)
	if err != nil {
		return err
	}
	b, err := crypto.MarshalPrivateKey(sk)
	if err != nil {
		return err
	}
	return writeFileAtomic(path, b, 0o600)
}

// LoadIdentity reads the repo's private key.
func LoadIdentity(repo string) (crypto.PrivKey, error) {
	path := filepath.Join(repo, IdentityFile)
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("identity: %w", err)
	}
	sk, err := crypto.UnmarshalPrivateKey(b)
	if err != nil {
		return nil, fmt.Errorf("identity %s: %w", path, err)
	}
	return sk, nil
}
