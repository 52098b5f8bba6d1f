package main_test

import (
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
)

const mod = "github.com/swarm-project/swarm"

type pkgInfo struct {
	ImportPath string
	Doc        string
	Imports    []string
}

func listPackages(t *testing.T) []pkgInfo {
	t.Helper()
	out, err := exec.Command("go", "list", "-json", mod+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	var pkgs []pkgInfo
	for {
		var p pkgInfo
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

// allowed says whether pkg may import imp (direct, non-test imports).
// The rules are the package graph of docs/design.md.
func allowed(pkg, imp string) bool {
	std := !strings.Contains(strings.Split(imp, "/")[0], ".")
	rel := strings.TrimPrefix(pkg, mod+"/")
	own := strings.HasPrefix(imp, mod+"/")
	iRel := strings.TrimPrefix(imp, mod+"/")
	has := func(prefixes ...string) bool {
		for _, p := range prefixes {
			if imp == p || strings.HasPrefix(imp, p+"/") {
				return true
			}
		}
		return false
	}
	switch {
	case imp == "github.com/dgraph-io/badger/v4" || strings.HasPrefix(imp, "github.com/dgraph-io/"):
		return strings.HasPrefix(rel, "node/store")
	case rel == "ratectl" || rel == "ratectl/wire" || rel == "swarm":
		return std
	case rel == "ratectl/session":
		return std || has(mod+"/ratectl", "golang.org/x/sys", "golang.org/x/net")
	case rel == "chunker" || rel == "chunker/manifest":
		return std || has("github.com/ipfs/go-cid", "github.com/multiformats/go-multihash", "github.com/zeebo/blake3", mod+"/chunker")
	case rel == "swarm/fetch":
		return std || has("github.com/ipfs/go-cid", "golang.org/x/sys", mod+"/chunker", mod+"/swarm")
	case rel == "catalog":
		// peer.AddrInfo is a value type of the Discovery interface; no host, no network.
		return std || has("github.com/ipfs/go-cid", "github.com/libp2p/go-libp2p/core/peer", mod+"/chunker")
	case rel == "swarm/httpsrc" || rel == "swarm/gatewaysrc":
		// HTTP sources: the fetch engine's Source, nothing of the node.
		return std || has("github.com/ipfs/go-cid", mod+"/chunker", mod+"/swarm/fetch", mod+"/swarm/httpsrc")
	case rel == "node/wire":
		return std || has("github.com/ipfs/go-cid")
	case rel == "node/api" || rel == "node/apitype" || rel == "node/apiclient":
		return std || imp == mod+"/node/apitype"
	case rel == "cmd/swarm/cli":
		return std || !own || has(mod+"/node/apiclient", mod+"/node/apitype", mod+"/node/config") || iRel == "node" || iRel == "ratectl"
	}
	return true
}

// The import graph points one way: pure packages stay pure, Badger stays in
// node/store, the CLI reaches nodes through the API client.
func TestImportDirection(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	for _, p := range listPackages(t) {
		for _, imp := range p.Imports {
			if !allowed(p.ImportPath, imp) {
				t.Errorf("%s must not import %s (see docs/design.md)", p.ImportPath, imp)
			}
		}
	}
}

// Every package says what it is for.
func TestPackageDocs(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	for _, p := range listPackages(t) {
		if strings.TrimSpace(p.Doc) == "" {
			t.Errorf("%s has no package doc comment", p.ImportPath)
		}
	}
}

func TestImportRules(t *testing.T) {
	cases := []struct {
		pkg, imp string
		ok       bool
	}{
		{mod + "/swarm", "github.com/libp2p/go-libp2p/core/host", false},
		{mod + "/swarm", "time", true},
		{mod + "/chunker", "github.com/dgraph-io/badger/v4", false},
		{mod + "/node", "github.com/dgraph-io/badger/v4", false},
		{mod + "/node/store", "github.com/dgraph-io/badger/v4", true},
		{mod + "/ratectl", "golang.org/x/sys/unix", false},
		{mod + "/ratectl/session", "github.com/libp2p/go-libp2p/core/host", false},
		{mod + "/ratectl/session", mod + "/ratectl/wire", true},
		{mod + "/swarm/fetch", mod + "/node", false},
		{mod + "/cmd/swarm/cli", mod + "/node/store", false},
		{mod + "/cmd/swarm/cli", mod + "/node/apiclient", true},
		{mod + "/node/api", mod + "/node", false},
		{mod + "/cmd/swarm/cli", mod + "/ratectl/session", false},
		{mod + "/ratectl/p2p", "github.com/libp2p/go-libp2p/core/transport", true},
		{mod + "/swarm/gatewaysrc", mod + "/swarm/httpsrc", true},
		{mod + "/swarm/gatewaysrc", mod + "/node/wire", false},
	}
	for _, c := range cases {
		if got := allowed(c.pkg, c.imp); got != c.ok {
			t.Errorf("allowed(%s, %s) = %v, want %v", c.pkg, c.imp, got, c.ok)
		}
	}
}
