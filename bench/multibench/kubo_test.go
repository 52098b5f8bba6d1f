package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestApplySettingsCreatesPathsAndKeepsTheRest(t *testing.T) {
	cfg := map[string]any{"Swarm": map[string]any{"ConnMgr": map[string]any{}}, "Bootstrap": []any{"/dnsaddr/x"}}
	err := applySettings(cfg, []kuboSetting{{"Swarm.RelayClient.Enabled", false}, {"Bootstrap", []string{}}, {"Routing.Type", "none"}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"Swarm":     map[string]any{"ConnMgr": map[string]any{}, "RelayClient": map[string]any{"Enabled": false}},
		"Bootstrap": []string{},
		"Routing":   map[string]any{"Type": "none"},
	}
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("got %v\nwant %v", cfg, want)
	}
	if err := applySettings(map[string]any{"Routing": "x"}, []kuboSetting{{"Routing.Type", "none"}}); err == nil {
		t.Error("set a key inside a string")
	}
}

// TestKuboSettingsStayInTheLab: every address is the lab address or
// loopback, and nothing that reaches out on its own is left on.
func TestKuboSettingsStayInTheLab(t *testing.T) {
	got := map[string]any{}
	for _, s := range kuboSettings("10.77.0.11") {
		got[s.path] = s.value
	}
	for _, a := range got["Addresses.Swarm"].([]string) {
		if !strings.HasPrefix(a, "/ip4/10.77.0.11/") {
			t.Errorf("swarm address %s", a)
		}
	}
	if api := got["Addresses.API"].(string); !strings.HasPrefix(api, "/ip4/127.0.0.1/") {
		t.Errorf("API on %s", api)
	}
	for _, k := range []string{"Addresses.Gateway", "Addresses.Announce", "Addresses.AppendAnnounce", "Bootstrap", "Peering.Peers",
		"Routing.DelegatedRouters", "Ipns.DelegatedPublishers"} {
		if v, ok := got[k].([]string); !ok || len(v) != 0 {
			t.Errorf("%s = %v, want empty", k, got[k])
		}
	}
	for _, k := range []string{"Discovery.MDNS.Enabled", "AutoConf.Enabled", "AutoTLS.Enabled", "Provide.Enabled", "HTTPRetrieval.Enabled",
		"Swarm.EnableHolePunching", "Swarm.RelayClient.Enabled", "Swarm.RelayService.Enabled"} {
		if got[k] != false {
			t.Errorf("%s = %v, want false", k, got[k])
		}
	}
	if got["Routing.Type"] != "none" || got["AutoNAT.ServiceMode"] != "disabled" || got["Swarm.DisableNatPortMap"] != true {
		t.Errorf("routing %v, autonat %v, nat port map off %v", got["Routing.Type"], got["AutoNAT.ServiceMode"], got["Swarm.DisableNatPortMap"])
	}
}

func TestKuboAddr(t *testing.T) {
	if got := kuboAddr("10.77.0.12", "quic-v1", "12D3K"); got != "/ip4/10.77.0.12/udp/4001/quic-v1/p2p/12D3K" {
		t.Error(got)
	}
	if got := kuboAddr("10.77.0.12", "tcp", "12D3K"); got != "/ip4/10.77.0.12/tcp/4001/p2p/12D3K" {
		t.Error(got)
	}
}

func TestSamePrefix(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	want := write("want", strings.Repeat("abcdefgh", 300_000))
	cases := []struct {
		name, got string
		n         int64
		bad       bool
	}{
		{"whole", strings.Repeat("abcdefgh", 300_000), 2_400_000, false},
		{"prefix", strings.Repeat("abcdefgh", 200_000), 1_600_000, false},
		{"differs", strings.Repeat("abcdefgh", 200_000) + "x", 1_048_576, true},
		{"longer", strings.Repeat("abcdefgh", 300_000) + "a", 2_097_152, true},
	}
	for _, c := range cases {
		n, err := samePrefix(write(c.name, c.got), want)
		if n != c.n || (err != nil) != c.bad {
			t.Errorf("%s: %d, %v; want %d, error %v", c.name, n, err, c.n, c.bad)
		}
	}
	if n, err := samePrefix(filepath.Join(dir, "missing"), want); n != 0 || err != nil {
		t.Errorf("missing: %d, %v", n, err)
	}
}

func TestRunnableSkipsScenariosThatCannotRun(t *testing.T) {
	h := &harness{log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	g := []scenario{{Name: "a"}, {Name: "b", Needs: func(options) error { return errors.New("no tool") }}}
	if got := h.runnable(g); len(got) != 1 || got[0].Name != "a" {
		t.Errorf("runnable = %v", got)
	}
}

// TestKuboAcceptsTheConfig starts the real Kubo binary (`make kubo`;
// KUBO=path overrides), offline: `ipfs init`, our settings, then `ipfs
// config show`, which loads and validates the config. Skipped without
// the binary.
func TestKuboAcceptsTheConfig(t *testing.T) {
	bin := os.Getenv("KUBO")
	if bin == "" {
		bin = filepath.Join("..", "..", "bin", "kubo-"+kuboVersion, "ipfs")
	}
	k := options{kuboBin: bin}.kubo()
	if err := k.check(); err != nil {
		t.Skip(err)
	}
	repo := filepath.Join(t.TempDir(), "repo")
	ctx := context.Background()
	id, err := k.init(ctx, place{}, repo, "10.77.0.11")
	if err != nil || !strings.HasPrefix(id, "12D3") {
		t.Fatalf("init: %q, %v", id, err)
	}
	out, err := k.run(ctx, place{}, repo, "config", "show")
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Bootstrap []string
		Routing   struct{ Type string }
		AutoConf  struct{ Enabled bool }
		Addresses struct{ Swarm []string }
	}
	if err := json.Unmarshal([]byte(out), &cfg); err != nil {
		t.Fatal(err)
	}
	if len(cfg.Bootstrap) != 0 || cfg.Routing.Type != "none" || cfg.AutoConf.Enabled || len(cfg.Addresses.Swarm) != 2 {
		t.Errorf("config %+v", cfg)
	}
}
