package p2p_test

import (
	"context"
	"errors"
	"io"
	"runtime/metrics"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/muxer/yamux"
	tls "github.com/libp2p/go-libp2p/p2p/security/tls"
	"github.com/libp2p/go-libp2p/p2p/transport/tcp"

	rcp2p "github.com/swarm-project/swarm/ratectl/p2p"
	"github.com/swarm-project/swarm/ratectl/session"
)

// BenchmarkStream sends 256 MiB per iteration over one libp2p stream
// between two hosts in this process, TLS and yamux over swarmrc and over
// TCP (the baseline, in the same run), and reports the CPU of both ends
// together as cpu-s/GB and MB/cpu-s.
//
//	go test -run '^$' -bench Stream -benchtime 4x ./ratectl/p2p/
func BenchmarkStream(b *testing.B) {
	stacks := []struct {
		name   string
		listen string
		opt    libp2p.Option
	}{
		{"swarmrc-tls-yamux", "/ip4/127.0.0.1/udp/0/swarmrc", libp2p.Transport(rcp2p.New(session.Config{}, nil))},
		{"tcp-tls-yamux", "/ip4/127.0.0.1/tcp/0", libp2p.Transport(tcp.NewTCPTransport)},
	}
	for _, st := range stacks {
		b.Run(st.name, func(b *testing.B) {
			opts := []libp2p.Option{libp2p.NoTransports, st.opt, libp2p.ListenAddrStrings(st.listen),
				libp2p.Security(tls.ID, tls.New), libp2p.Muxer(yamux.ID, yamux.DefaultTransport),
				libp2p.ResourceManager(&network.NullResourceManager{}), libp2p.DisableRelay()}
			benchStream(b, opts)
		})
	}
}

func benchStream(b *testing.B, opts []libp2p.Option) {
	const size = 256 << 20
	recv, send := benchHost(b, opts), benchHost(b, opts)
	got := make(chan error, 1)
	recv.SetStreamHandler("/sink", func(s network.Stream) {
		n, err := io.Copy(io.Discard, s)
		if err == nil && n != size {
			err = io.ErrUnexpectedEOF
		}
		s.Close()
		got <- err
	})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := send.Connect(ctx, peer.AddrInfo{ID: recv.ID(), Addrs: recv.Addrs()}); err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, 1<<20)
	b.SetBytes(size)
	b.ResetTimer()
	cpu0, runs0 := processCPU(), goroutineRuns()
	for range b.N {
		s, err := send.NewStream(ctx, recv.ID(), "/sink")
		if err != nil {
			b.Fatal(err)
		}
		for left := size; left > 0 && err == nil; left -= len(buf) {
			_, err = s.Write(buf)
		}
		if err = errors.Join(err, s.CloseWrite()); err != nil {
			b.Fatal(err)
		}
		if err := <-got; err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
	cpu, runs := processCPU()-cpu0, goroutineRuns()-runs0
	b.StopTimer()
	gb := float64(b.N) * size / 1e9
	b.ReportMetric(cpu.Seconds()/gb, "cpu-s/GB")
	b.ReportMetric(gb*1e3/cpu.Seconds(), "MB/cpu-s")
	b.ReportMetric(float64(runs)/(gb*1e3), "sched/MB")
}

func benchHost(b *testing.B, opts []libp2p.Option) host.Host {
	h, err := libp2p.New(opts...)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { h.Close() })
	return h
}

// goroutineRuns counts the times goroutines were scheduled to run so far:
// hand-offs between goroutines cost CPU beyond the work they do.
func goroutineRuns() uint64 {
	s := []metrics.Sample{{Name: "/sched/latencies:seconds"}}
	metrics.Read(s)
	var n uint64
	for _, c := range s[0].Value.Float64Histogram().Counts {
		n += c
	}
	return n
}
