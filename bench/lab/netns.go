package lab

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
)

// ip runs the ip command and returns its error with its output.
func ip(ctx context.Context, args ...string) error {
	out, err := exec.CommandContext(ctx, "ip", args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("ip %s: %w: %s", strings.Join(args, " "), err, bytes.TrimSpace(out))
	}
	return nil
}

// setupNode moves a TUN device into a new namespace, names it wan0, gives
// it its address and sets the namespace's TCP buffers and default
// congestion control.
func setupNode(ctx context.Context, n Node, dev string, tcpBufMax int, cc string) error {
	steps := [][]string{
		{"link", "set", dev, "netns", n.Netns},
		{"-n", n.Netns, "link", "set", dev, "name", "wan0"},
		{"-n", n.Netns, "link", "set", "wan0", "mtu", strconv.Itoa(mtu), "txqueuelen", "10000", "up"},
		{"-n", n.Netns, "addr", "add", n.Addr.String() + "/24", "dev", "wan0"},
		{"-n", n.Netns, "link", "set", "lo", "up"},
		// A namespace may only pick "allowed" algorithms as its default,
		// which need not include CUBIC; a route attribute has no such
		// limit, and a socket's own choice (iperf3 -C) still wins.
		{"-n", n.Netns, "route", "replace", "10.77.0.0/24", "dev", "wan0", "proto", "kernel", "scope", "link",
			"src", n.Addr.String(), "congctl", cc},
	}
	for _, s := range steps {
		if err := ip(ctx, s...); err != nil {
			return err
		}
	}
	buf := strconv.Itoa(tcpBufMax)
	return ip(ctx, "netns", "exec", n.Netns, "sysctl", "-q", "-w",
		"net.ipv4.tcp_rmem=4096 131072 "+buf,
		"net.ipv4.tcp_wmem=4096 16384 "+buf,
		"net.ipv6.conf.all.disable_ipv6=1",
		"net.ipv6.conf.default.disable_ipv6=1")
}

// removeNetns kills the processes left in a namespace and deletes it.
func removeNetns(ctx context.Context, name string) error {
	out, err := exec.CommandContext(ctx, "ip", "netns", "pids", name).Output()
	if err != nil {
		return nil // already gone
	}
	for _, f := range strings.Fields(string(out)) {
		if pid, err := strconv.Atoi(f); err == nil && pid > 1 {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	}
	return ip(ctx, "netns", "del", name)
}

// listNetns returns the names of all named network namespaces.
func listNetns(ctx context.Context) ([]string, error) {
	out, err := exec.CommandContext(ctx, "ip", "netns", "list").Output()
	if err != nil {
		return nil, err
	}
	var names []string
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			names = append(names, f[0])
		}
	}
	return names, nil
}
