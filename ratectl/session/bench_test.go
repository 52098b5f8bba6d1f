package session

import (
	"io"
	"runtime/metrics"
	"testing"
)

// BenchmarkLoopbackTransfer moves 256 MiB per iteration over real UDP
// sockets on 127.0.0.1 (one Listen, one Dial, one stream) and reports the
// CPU of the whole process, both ends together, as cpu-s/GB and MB/cpu-s.
//
//	go test -run '^$' -bench LoopbackTransfer -benchtime 3x ./ratectl/session/
func BenchmarkLoopbackTransfer(b *testing.B) {
	for _, mode := range ioModes {
		b.Run(mode.name, func(b *testing.B) { benchLoopback(b, mode.cfg) })
	}
}

func benchLoopback(b *testing.B, mode func(*Config)) {
	const size = 256 << 20
	cfg := quietConfig()
	mode(&cfg)
	c, s, ln := loopbackPair(b, cfg)
	defer func() {
		c.abort()
		s.abort()
		_ = c.ep.Close()
		_ = ln.Close()
	}()
	chunk := make([]byte, 1<<20)
	b.SetBytes(size)
	b.ResetTimer()
	cpu0, runs0 := processCPU(), goroutineRuns()
	for range b.N {
		done := make(chan error, 1)
		go func() {
			var err error
			for left := size; left > 0 && err == nil; left -= len(chunk) {
				_, err = c.Write(chunk)
			}
			done <- err
		}()
		n, err := io.CopyN(io.Discard, s, size)
		if err != nil || n != size {
			b.Fatalf("read %d bytes: %v", n, err)
		}
		if err := <-done; err != nil {
			b.Fatal(err)
		}
	}
	cpu, runs := processCPU()-cpu0, goroutineRuns()-runs0
	b.StopTimer()
	gb := float64(b.N) * size / 1e9
	b.ReportMetric(cpu.Seconds()/gb, "cpu-s/GB")
	b.ReportMetric(gb*1e3/cpu.Seconds(), "MB/cpu-s")
	b.ReportMetric(float64(runs)/(gb*1e3), "sched/MB")
	st := c.Stats()
	b.ReportMetric(float64(st.BytesRetrans)/float64(b.N*size)*100, "%retx")
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
