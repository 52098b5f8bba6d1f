package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/swarm-project/swarm/node/apitype"
)

func TestExitCodes(t *testing.T) {
	cases := []struct {
		err  error
		want int
	}{
		{&usageError{"x"}, ExitUsage},
		{fmt.Errorf("wrap: %w", &apitype.Error{Code: apitype.CodeNotFound}), ExitNotFound},
		{&apitype.Error{Code: apitype.CodeInvalid}, ExitInvalid},
		{&apitype.Error{Code: apitype.CodeIO}, ExitIO},
		{&apitype.Error{Code: apitype.CodeInterrupted}, ExitInterrupted},
		{fmt.Errorf("%w: busy", errRepoLocked), ExitRepo},
		{errors.New("boom"), ExitError},
	}
	for _, c := range cases {
		if got := exitCode(c.err); got != c.want {
			t.Errorf("exitCode(%v) = %d, want %d", c.err, got, c.want)
		}
	}
}

func TestHelpDocumentsExitCodes(t *testing.T) {
	root := newRootCmd(&env{})
	for _, code := range []string{"130", "  2 ", "  5 "} {
		if !strings.Contains(root.Long, code) {
			t.Errorf("swarm --help does not document exit code %q", strings.TrimSpace(code))
		}
	}
}

func TestProgressLine(t *testing.T) {
	got := progressLine("fetched", apitype.Progress{Bytes: 512 << 20, Total: 1 << 30, Seconds: 2,
		Sources: []apitype.SourceStat{{Name: "a", Bytes: 1}, {Name: "b", Bytes: 1, Dropped: "lied"}, {Name: "c"}}})
	for _, want := range []string{"512.0 MiB / 1.0 GiB", "50.0%", "256.0 MiB/s", "ETA 2s", "1 sources"} {
		if !strings.Contains(got, want) {
			t.Errorf("%q lacks %q", got, want)
		}
	}
}

func TestWithPort(t *testing.T) {
	got := withPort([]string{"/ip4/0.0.0.0/tcp/4801", "/ip4/0.0.0.0/udp/4801/quic-v1", "/ip4/0.0.0.0/udp/4802/swarmrc"}, 0)
	if got[0] != "/ip4/0.0.0.0/tcp/0" || got[1] != "/ip4/0.0.0.0/udp/0/quic-v1" || got[2] != "/ip4/0.0.0.0/udp/0/swarmrc" {
		t.Fatalf("%v", got)
	}
	got = withPort([]string{"/ip4/0.0.0.0/udp/4801/quic-v1", "/ip4/0.0.0.0/udp/4802/swarmrc"}, 5000)
	if got[0] != "/ip4/0.0.0.0/udp/5000/quic-v1" || got[1] != "/ip4/0.0.0.0/udp/5001/swarmrc" {
		t.Fatalf("%v", got)
	}
	if got := withPort([]string{"/ip4/0.0.0.0/tcp/4801"}, -1); got[0] != "/ip4/0.0.0.0/tcp/4801" {
		t.Fatalf("%v", got)
	}
}

func TestParseRate(t *testing.T) {
	for in, want := range map[string]float64{"": 0, "200M": 25e6, "1.5G": 1.5e9 / 8, "800K": 1e5, "8": 1} {
		if got, err := parseRate("--rate", in); err != nil || got != want {
			t.Errorf("parseRate(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"fast", "-1M", "M", "NaN", "inf", "-Inf", "1e308G"} {
		_, err := parseRate("--rate", bad)
		var ue *usageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), "--rate \""+bad+"\"") {
			t.Errorf("parseRate(%q): %v; want a usage error naming the flag and the value", bad, err)
		}
	}
	if _, err := (rateFlags{policy: "fair", maxUp: "10M", minRate: "50M"}).config(); err == nil || !strings.Contains(err.Error(), "--min-rate 50M is above --max-upload-rate 10M") {
		t.Errorf("floor above ceiling: %v", err)
	}
	if _, err := (rateFlags{policy: "fixed"}).config(); err == nil {
		t.Error("fixed without a rate accepted")
	}
	if c, err := (rateFlags{policy: "low", maxUp: "100M"}).config(); err != nil || c.TargetRate != 12.5e6 {
		t.Errorf("%+v %v", c, err)
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"256MiB": 256 << 20, "1G": 1 << 30, "1gib": 1 << 30, "500MB": 500e6,
		"64k": 64 << 10, "1048576": 1 << 20, "2 GiB": 2 << 30, "100B": 100} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "lots", "-1M", "0", "MiB", "1e30G"} {
		if _, err := parseSize(bad); err == nil {
			t.Errorf("parseSize(%q) accepted", bad)
		}
	}
}

// TestCobraErrorsAreUsage: cobra's own errors (unknown flag or command,
// wrong number of arguments) exit 2, as documented; they exited 1.
func TestCobraErrorsAreUsage(t *testing.T) {
	for _, args := range [][]string{
		{"get"}, {"get", "a", "b"}, {"get", "--foo", "x"}, {"status", "--bogus"},
		{"frobnicate"}, {"daemon", "extra"}, {"pin", "frob"}, {"--repo"},
	} {
		root := newRootCmd(&env{stdout: io.Discard, stderr: io.Discard})
		root.SetArgs(args)
		root.SetOut(io.Discard)
		err := root.Execute()
		if code := exitCode(err); err == nil || code != ExitUsage {
			t.Errorf("swarm %s: %v, exit %d; want exit %d", strings.Join(args, " "), err, code, ExitUsage)
		}
	}
}

// TestSessionLine: a downloading node's session says it is receiving, not
// show its requests' rate and retransmissions as the transfer's.
func TestSessionLine(t *testing.T) {
	down := sessionLine(apitype.Session{Remote: "/ip4/1.2.3.4/udp/4802/swarmrc", Policy: "fair", Mode: "delay",
		RateMbps: 0.1, BytesSent: 12 << 10, BytesRetrans: 3 << 10, BytesRecv: 48 << 20})
	if !strings.Contains(down, "receiving: 48.0 MiB received") || strings.Contains(down, "retransmitted") {
		t.Errorf("downloading: %s", down)
	}
	up := sessionLine(apitype.Session{Policy: "fixed", Mode: "fixed", RateMbps: 20, BytesSent: 48 << 20, BytesRetrans: 1 << 20})
	if !strings.Contains(up, "sending: fixed/fixed  rate 20.0 Mbit/s") || !strings.Contains(up, "(2.08% retransmitted)") {
		t.Errorf("uploading: %s", up)
	}
}
