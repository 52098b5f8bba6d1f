package config

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestRepoDirPrecedence(t *testing.T) {
	t.Setenv(EnvRepo, "/from/env")
	if got, _ := RepoDir("/from/flag"); got != "/from/flag" {
		t.Errorf("flag: %s", got)
	}
	if got, _ := RepoDir(""); got != "/from/env" {
		t.Errorf("env: %s", got)
	}
	t.Setenv(EnvRepo, "")
	t.Setenv("HOME", "/home/someone")
	if got, _ := RepoDir(""); got != "/home/someone/.swarm" {
		t.Errorf("default: %s", got)
	}
}

func TestInitLoad(t *testing.T) {
	repo := filepath.Join(t.TempDir(), "r")
	if _, err := Load(repo); !errors.Is(err, ErrNotInitialized) {
		t.Fatalf("uninitialised: %v", err)
	}
	if err := Init(repo, Default()); err != nil {
		t.Fatal(err)
	}
	if err := Init(repo, Default()); err == nil {
		t.Fatal("second init overwrote the repo")
	}
	c, err := Load(repo)
	if err != nil || c.ChunkSize != Default().ChunkSize || !slices.Equal(c.Listen, DefaultListen) {
		t.Fatalf("load: %+v %v", c, err)
	}
	sk1, err := LoadIdentity(repo)
	if err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(filepath.Join(repo, IdentityFile)); fi.Mode().Perm() != 0o600 {
		t.Errorf("identity mode %v", fi.Mode().Perm())
	}
	other := filepath.Join(t.TempDir(), "r2")
	_ = Init(other, Default())
	sk2, _ := LoadIdentity(other)
	if sk1.Equals(sk2) {
		t.Fatal("two repos share an identity")
	}
}

func TestLoadRejectsBadConfig(t *testing.T) {
	for name, body := range map[string]string{
		"not json":   "{",
		"version":    `{"version": 2, "chunk_size": 1048576}`,
		"chunk size": `{"version": 1, "chunk_size": 1000}`,
	} {
		repo := t.TempDir()
		if err := os.WriteFile(filepath.Join(repo, ConfigFile), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := Load(repo); err == nil || !strings.Contains(err.Error(), ConfigFile) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
