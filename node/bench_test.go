package node_test

import (
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/swarm-project/swarm/node/apitype"
	"github.com/swarm-project/swarm/node/nodetest"
)

// BenchmarkGetLoopback moves a 256 MiB file between two in-process nodes
// over the given transport and reports CPU seconds per GB (both nodes).
func BenchmarkGetLoopback(b *testing.B) {
	for _, tr := range []string{"/swarmrc/", "/tcp/"} {
		b.Run(tr, func(b *testing.B) { benchGet(b, tr) })
	}
}

func benchGet(b *testing.B, transport string) {
	const size = 256 << 20
	a := nodetest.New(b)
	f := filepath.Join(b.TempDir(), "f.bin")
	data := make([]byte, size)
	rand.Read(data)
	if err := os.WriteFile(f, data, 0o644); err != nil {
		b.Fatal(err)
	}
	res, err := a.Add(context.Background(), apitype.AddRequest{Path: f}, nil)
	if err != nil {
		b.Fatal(err)
	}
	peer := nodetest.AddrOf(b, a, transport)
	b.SetBytes(size)
	b.ResetTimer()
	before := cpuSeconds()
	for i := 0; i < b.N; i++ {
		c := nodetest.New(b)
		if _, err := c.Get(context.Background(), apitype.GetRequest{CID: res.Root, Out: filepath.Join(b.TempDir(), "o"), Peers: []string{peer}}, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cpuSeconds()-before)/(float64(b.N)*size/1e9), "cpu-s/GB")
}

func cpuSeconds() float64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
