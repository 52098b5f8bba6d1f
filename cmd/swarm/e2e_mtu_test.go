package main_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestE2ENarrowPath: a seeder daemon and a downloader in network
// namespaces of their own, joined through a forwarding namespace whose
// link to the downloader has a 1400-byte MTU, as behind a tunnel or a
// VPN. Datagrams of 1452 bytes do not fit; before path MTU discovery the
// swarmrc connection failed during its TLS handshake. Needs root and
// iproute2 (the namespaces are the test's own and removed after it).
func TestE2ENarrowPath(t *testing.T) {
	bin := netnsBin(t)
	seedNS, getNS := pathLab(t, 1500, 1400)
	data := make([]byte, 24<<20)
	for i := range data {
		data[i] = byte(i*7 + i>>11)
	}
	_, b, root, peer := seedInLab(t, bin, seedNS, getNS, data, "/ip4/10.88.1.1/udp/0/swarmrc", "/ip4/10.88.1.1/")
	getWhole(t, getNS, bin, b, root, peer, data)
}

// TestE2ENarrowPathIPv6: the narrow path again, over IPv6, with the
// daemon's default listen addresses (which include IPv6).
func TestE2ENarrowPathIPv6(t *testing.T) {
	bin := netnsBin(t)
	seedNS, getNS := pathLab(t, 1500, 1400)
	data := bytes.Repeat([]byte("over IPv6 "), 2<<20)
	_, b, root, peer := seedInLab(t, bin, seedNS, getNS, data, "", "/ip6/fd00:1::1/")
	getWhole(t, getNS, bin, b, root, peer, data)
}

// TestE2EJumboPath: the same three namespaces with jumbo frames (9000
// bytes) end to end, as between science networks. Each side's search
// starts at its route's MTU less the headers (8972 bytes) and settles
// there; `swarm status` on both daemons says so.
func TestE2EJumboPath(t *testing.T) {
	bin := netnsBin(t)
	seedNS, getNS := pathLab(t, 9000, 9000)
	data := bytes.Repeat([]byte("jumbo frames "), 1<<20)
	a, b, root, peer := seedInLab(t, bin, seedNS, getNS, data, "/ip4/10.88.1.1/udp/0/swarmrc", "/ip4/10.88.1.1/")
	nsDaemon(t, getNS, bin, b, "/ip4/10.88.2.1/udp/0/swarmrc")
	getWhole(t, getNS, bin, b, root, peer, data)
	for _, side := range []struct{ ns, repo string }{{seedNS, a}, {getNS, b}} {
		var st struct {
			Sessions []struct {
				Datagram int `json:"datagram_bytes"`
			} `json:"sessions"`
		}
		if err := json.Unmarshal([]byte(nsRun(t, side.ns, bin, side.repo, "status", "--json")), &st); err != nil {
			t.Fatal(err)
		}
		if len(st.Sessions) != 1 || st.Sessions[0].Datagram != 9000-28 {
			t.Errorf("%s: sessions %+v, want one of %d-byte datagrams", side.ns, st.Sessions, 9000-28)
		}
	}
}

// seedInLab makes a repo in each namespace, adds data to the seeder's and
// starts its daemon; it returns the two repos, the root CID and the
// seeder's swarmrc address.
func seedInLab(t *testing.T, bin, seedNS, getNS string, data []byte, listen, want string) (a, b, root, peer string) {
	t.Helper()
	a, b = filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	nsRun(t, seedNS, bin, a, "init")
	nsRun(t, getNS, bin, b, "init")
	src := filepath.Join(t.TempDir(), "data.bin")
	if err := os.WriteFile(src, data, 0o644); err != nil {
		t.Fatal(err)
	}
	root = strings.TrimSpace(nsRun(t, seedNS, bin, a, "add", src, "-Q"))
	nsDaemon(t, seedNS, bin, a, listen)
	var id struct {
		Addrs []string `json:"addrs"`
	}
	if err := json.Unmarshal([]byte(nsRun(t, seedNS, bin, a, "id", "--json")), &id); err != nil {
		t.Fatalf("seeder id: %v", err)
	}
	for _, addr := range id.Addrs {
		if strings.HasPrefix(addr, want) && strings.Contains(addr, "/swarmrc/") {
			return a, b, root, addr
		}
	}
	t.Fatalf("the seeder lists no %s…/swarmrc address: %v", want, id.Addrs)
	return
}

// getWhole runs `swarm get` of root from peer in namespace ns and fails
// unless the copy is data, byte for byte.
func getWhole(t *testing.T, ns, bin, repo, root, peer string, data []byte) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out.bin")
	nsRun(t, ns, bin, repo, "get", root, "-o", out, "--peer", peer)
	if got, err := os.ReadFile(out); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("downloaded %d bytes (err %v), want the %d written", len(got), err, len(data))
	}
}

// netnsBin is the swarm binary, or a skip where network namespaces
// cannot be made (not root, no iproute2).
func netnsBin(t *testing.T) string {
	t.Helper()
	bin := swarmBin(t)
	if os.Geteuid() != 0 {
		t.Skip("needs root for network namespaces")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("needs iproute2 (ip)")
	}
	return bin
}

// pathLab builds seeder (10.88.1.1) — forwarder — downloader (10.88.2.1),
// the first link with seedMTU, the second with getMTU, and returns the two
// end namespaces' names. Everything is removed at test end.
func pathLab(t *testing.T, seedMTU, getMTU int) (seedNS, getNS string) {
	t.Helper()
	p := fmt.Sprintf("swmtu%d", os.Getpid()%100000)
	ns := [3]string{p + "-s", p + "-r", p + "-d"}
	clean := func() { // also what a killed run with the same PID left
		for _, n := range ns {
			_ = exec.Command("ip", "netns", "del", n).Run()
		}
		for _, l := range []string{p + "a", p + "c"} {
			_ = exec.Command("ip", "link", "del", l).Run()
		}
	}
	clean()
	t.Cleanup(clean)
	for _, n := range ns {
		ip(t, "netns", "add", n)
		ip(t, "-n", n, "link", "set", "lo", "up")
	}
	veth := func(a, b, nsA, nsB string) {
		ip(t, "link", "add", a, "type", "veth", "peer", "name", b)
		ip(t, "link", "set", a, "netns", nsA)
		ip(t, "link", "set", b, "netns", nsB)
	}
	veth(p+"a", p+"b", ns[0], ns[1])
	veth(p+"c", p+"d", ns[1], ns[2])
	m, sm := fmt.Sprint(getMTU), fmt.Sprint(seedMTU)
	ip(t, "-n", ns[0], "addr", "add", "10.88.1.1/24", "dev", p+"a")
	ip(t, "-n", ns[0], "link", "set", p+"a", "up", "mtu", sm)
	ip(t, "-n", ns[1], "addr", "add", "10.88.1.2/24", "dev", p+"b")
	ip(t, "-n", ns[1], "link", "set", p+"b", "up", "mtu", sm)
	ip(t, "-n", ns[1], "addr", "add", "10.88.2.2/24", "dev", p+"c")
	ip(t, "-n", ns[1], "link", "set", p+"c", "up", "mtu", m)
	ip(t, "-n", ns[2], "addr", "add", "10.88.2.1/24", "dev", p+"d")
	ip(t, "-n", ns[2], "link", "set", p+"d", "up", "mtu", m)
	ip(t, "-n", ns[0], "route", "add", "default", "via", "10.88.1.2")
	ip(t, "-n", ns[2], "route", "add", "default", "via", "10.88.2.2")
	// IPv6 too: fd00:1::1 — fd00:1::2 / fd00:2::2 — fd00:2::1.
	ip(t, "-n", ns[0], "addr", "add", "fd00:1::1/64", "dev", p+"a", "nodad")
	ip(t, "-n", ns[1], "addr", "add", "fd00:1::2/64", "dev", p+"b", "nodad")
	ip(t, "-n", ns[1], "addr", "add", "fd00:2::2/64", "dev", p+"c", "nodad")
	ip(t, "-n", ns[2], "addr", "add", "fd00:2::1/64", "dev", p+"d", "nodad")
	ip(t, "-n", ns[0], "-6", "route", "add", "default", "via", "fd00:1::2")
	ip(t, "-n", ns[2], "-6", "route", "add", "default", "via", "fd00:2::2")
	for _, kv := range []string{"net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1"} {
		if out, err := exec.Command("ip", "netns", "exec", ns[1], "sysctl", "-qw", kv).CombinedOutput(); err != nil {
			t.Fatalf("enabling forwarding: %v: %s", err, out)
		}
	}
	return ns[0], ns[2]
}

func ip(t *testing.T, args ...string) {
	t.Helper()
	if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
		t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
	}
}

// nsRun runs the binary in namespace ns to completion and returns its
// stdout; a non-zero exit fails the test.
func nsRun(t *testing.T, ns, bin, repo string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ip", append([]string{"netns", "exec", ns, bin, "--repo", repo}, args...)...)
	var so, se bytes.Buffer
	cmd.Stdout, cmd.Stderr = &so, &se
	if err := cmd.Run(); err != nil {
		t.Fatalf("swarm %v in %s: %v\nstdout: %s\nstderr: %s", args, ns, err, so.String(), se.String())
	}
	return so.String()
}

// nsDaemon starts `swarm daemon` in namespace ns listening on listen (the
// defaults if empty), and waits for its API; it is stopped with SIGTERM
// at test end.
func nsDaemon(t *testing.T, ns, bin, repo, listen string) {
	t.Helper()
	args := []string{"netns", "exec", ns, bin, "--repo", repo, "daemon", "--api", "127.0.0.1:0"}
	if listen != "" {
		args = append(args, "--listen", listen)
	}
	runDaemon(t, exec.Command("ip", args...)) // ip netns exec execs the binary: SIGTERM reaches the daemon
}
