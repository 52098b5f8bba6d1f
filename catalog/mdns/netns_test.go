package mdns

import (
	"net"
	"os"
	"os/exec"
	"runtime"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/event"
	"github.com/libp2p/go-libp2p/core/network"
)

// nsEnv is set in the environment of the test binary re-run inside a
// network namespace of its own.
const nsEnv = "SWARM_MDNS_TEST_NETNS"

// nsSetup runs inside the new namespace: loopback up and multicast-capable,
// multicast routed to it, then the test binary.
const nsSetup = `ip link set lo up && ip link set lo multicast on && ip route add 224.0.0.0/4 dev lo && exec "$@"`

// Two services discover and connect to each other over real mDNS. The
// multicast must not reach the machine's interfaces, so the test re-runs
// itself under `unshare --net` (with a user namespace, so no root is
// needed), where the only interface is loopback; it is skipped where
// namespaces cannot be created.
func TestMDNSInNamespace(t *testing.T) {
	if os.Getenv(nsEnv) == "1" {
		discoverInNamespace(t)
		return
	}
	if testing.Short() {
		t.Skip("re-runs the test binary in a network namespace")
	}
	unshare, err1 := exec.LookPath("unshare")
	_, err2 := exec.LookPath("ip")
	if err1 != nil || err2 != nil {
		t.Skip("needs unshare and ip (util-linux, iproute2)")
	}
	ns := []string{"--user", "--map-root-user", "--net"}
	if out, err := exec.Command(unshare, append(ns, "true")...).CombinedOutput(); err != nil {
		t.Skipf("cannot create a network namespace here: %v %s", err, out)
	}
	args := append(ns, "sh", "-c", nsSetup, "sh",
		os.Args[0], "-test.run=^TestMDNSInNamespace$", "-test.v", "-test.count=1", "-test.timeout=60s")
	cmd := exec.Command(unshare, args...)
	cmd.Env = append(os.Environ(), nsEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("mDNS test in a namespace: %v\n%s", err, out)
	}
	t.Logf("in the namespace:\n%s", out)
}

// discoverInNamespace is the test proper, run only inside the namespace.
// Closing the services and hosts leaves no goroutine behind.
func discoverInNamespace(t *testing.T) {
	requireLoopbackOnly(t)
	_ = newHost(t).Close() // starts libp2p's process-wide goroutines, if any
	before := runtime.NumGoroutine()
	a, b := newHost(t), newHost(t)
	sub, err := a.EventBus().Subscribe(new(event.EvtPeerConnectednessChanged))
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	services := []*Service{newService(t, a), newService(t, b)}
	for _, s := range services {
		if err := s.Start(); err != nil {
			t.Fatal(err)
		}
	}
	timeout := time.After(20 * time.Second)
	for a.Network().Connectedness(b.ID()) != network.Connected {
		select {
		case <-sub.Out():
		case <-timeout:
			t.Fatal("the two hosts did not find each other over mDNS")
		}
	}
	sub.Close()
	for _, s := range services {
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	_, _ = a.Close(), b.Close()
	waitGoroutines(t, before)
}

// requireLoopbackOnly refuses to go on unless every interface is loopback,
// so that no multicast ever leaves the machine from this test.
func requireLoopbackOnly(t *testing.T) {
	ifs, err := net.Interfaces()
	if err != nil {
		t.Fatal(err)
	}
	for _, ifc := range ifs {
		if ifc.Flags&net.FlagLoopback == 0 {
			t.Fatalf("interface %s is not loopback: not in an isolated namespace, no multicast sent", ifc.Name)
		}
	}
}
