package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"testing"
	"time"

	"github.com/swarm-project/swarm/bench/linkem"
)

func parseLink(t *testing.T, args ...string) (linkFlags, error) {
	t.Helper()
	var lf linkFlags
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	lf.register(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return lf, nil
}

func TestLinkFlags(t *testing.T) {
	lf, _ := parseLink(t, "--rate", "100", "--rtt", "100", "--loss", "1", "--queue-ms", "50", "--up-rate", "10", "--loss-burst", "3")
	s, err := lf.spec()
	if err != nil {
		t.Fatal(err)
	}
	if s.Down.Rate != 100e6 || s.Up.Rate != 10e6 || s.Down.Delay != 50*time.Millisecond || s.Down.QueueDelay != 50*time.Millisecond {
		t.Errorf("spec %+v", s)
	}
	if s.Down.Loss != (linkem.LossSpec{Prob: 0.01, MeanBurst: 3}) {
		t.Errorf("loss %+v", s.Down.Loss)
	}
	lf, _ = parseLink(t, "--rtt", "40")
	if s, _ := lf.spec(); s.Down.QueueDelay != 40*time.Millisecond {
		t.Errorf("default queue %v, want one RTT", s.Down.QueueDelay)
	}
}

func TestGEFlag(t *testing.T) {
	lf, _ := parseLink(t, "--ge", "0.01,0.3,0,1")
	s, err := lf.spec()
	if err != nil || s.Down.Loss.GE == nil || *s.Down.Loss.GE != (linkem.GEParams{P: 0.01, R: 0.3, LossBad: 1}) {
		t.Errorf("ge %+v err %v", s.Down.Loss.GE, err)
	}
	lf, _ = parseLink(t, "--ge", "0.1,0.2")
	if _, err := lf.spec(); !errors.Is(err, errUsage) {
		t.Errorf("short --ge: err %v, want usage error", err)
	}
	lf, _ = parseLink(t, "--loss", "150")
	if _, err := lf.spec(); !errors.Is(err, linkem.ErrConfig) {
		t.Errorf("150%% loss: err %v, want ErrConfig", err)
	}
}

func TestRunUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(context.Background(), nil, &out, &errOut); code != exitUsage {
		t.Errorf("no args: exit %d, want %d", code, exitUsage)
	}
	if code := run(context.Background(), []string{"frobnicate"}, &out, &errOut); code != exitUsage {
		t.Errorf("unknown command: exit %d", code)
	}
	if code := run(context.Background(), []string{"up", "--rate", "-5"}, &out, &errOut); code == exitOK {
		t.Errorf("negative rate accepted")
	}
}
