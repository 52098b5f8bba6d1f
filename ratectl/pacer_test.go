package ratectl

import (
	"testing"
	"time"
)

func TestPacer(t *testing.T) {
	p := NewPacer(1e6, 10*time.Millisecond, 1000) // bucket 10,000 bytes
	now := t0
	sent := 0
	for p.NextSend(now, 1000).Equal(now) {
		p.OnSent(now, 1000)
		sent += 1000
	}
	if sent != 10_000 {
		t.Fatalf("initial burst %d bytes, want 10000", sent)
	}
	next := p.NextSend(now, 1000)
	if d := next.Sub(now); d != time.Millisecond {
		t.Fatalf("next send in %v, want 1ms", d)
	}
	// A long idle period refills only up to the burst allowance.
	now = now.Add(time.Hour)
	sent = 0
	for p.NextSend(now, 1000).Equal(now) {
		p.OnSent(now, 1000)
		sent += 1000
	}
	if sent != 10_000 {
		t.Fatalf("burst after idle %d bytes, want 10000", sent)
	}
	// Over one second of steady sending the pacer lets the rate through.
	total := 0
	end := now.Add(time.Second)
	for now.Before(end) {
		now = p.NextSend(now, 1000)
		p.OnSent(now, 1000)
		total += 1000
	}
	if total < 990_000 || total > 1_011_000 {
		t.Fatalf("sent %d bytes in a second at 1e6 B/s", total)
	}
}

func TestPacerSmallRateKeepsTwoPackets(t *testing.T) {
	p := NewPacer(1000, 0, 1400)
	if !p.NextSend(t0, 1400).Equal(t0) {
		t.Fatal("a packet larger than rate*burst never leaves")
	}
	p.SetRate(t0, 0)
	p.OnSent(t0, 1400)
	p.OnSent(t0, 1400)
	if next := p.NextSend(t0, 1400); next.Sub(t0) < time.Minute {
		t.Fatalf("zero rate allows a send at %v", next)
	}
}
