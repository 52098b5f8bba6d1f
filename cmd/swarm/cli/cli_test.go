package cli

import (
	"errors"
	"fmt"
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
	got := withPort([]string{"/ip4/0.0.0.0/tcp/4801", "/ip4/0.0.0.0/udp/4801/quic-v1"}, 0)
	if got[0] != "/ip4/0.0.0.0/tcp/0" || got[1] != "/ip4/0.0.0.0/udp/0/quic-v1" {
		t.Fatalf("%v", got)
	}
	if got := withPort([]string{"/ip4/0.0.0.0/tcp/4801"}, -1); got[0] != "/ip4/0.0.0.0/tcp/4801" {
		t.Fatalf("%v", got)
	}
}
