package ratectl

import "time"

// minFilter is the minimum of duration samples over a sliding time window,
// kept in a few buckets so that it costs O(1) per sample.
type minFilter struct {
	window  time.Duration
	buckets [8]struct {
		start time.Time
		min   time.Duration
	}
	n int // buckets in use (ring, newest at n-1 modulo)
	i int // index of the newest bucket
}

func newMinFilter(window time.Duration) minFilter { return minFilter{window: window} }

// Update adds a sample taken at now.
func (f *minFilter) Update(now time.Time, v time.Duration) {
	slot := f.window / time.Duration(len(f.buckets))
	cur := &f.buckets[f.i]
	if f.n == 0 || now.Sub(cur.start) >= slot {
		f.i = (f.i + 1) % len(f.buckets)
		f.n = min(f.n+1, len(f.buckets))
		f.buckets[f.i].start, f.buckets[f.i].min = now, v
		return
	}
	cur.min = min(cur.min, v)
}

// Reset forgets every sample and starts again from v at now.
func (f *minFilter) Reset(now time.Time, v time.Duration) {
	f.n, f.i = 1, 0
	f.buckets[0].start, f.buckets[0].min = now, v
}

// Get returns the minimum over the window ending at now, or 0 if no sample
// lies in it.
func (f *minFilter) Get(now time.Time) time.Duration {
	var m time.Duration
	for k := range f.n {
		b := f.buckets[(f.i-k+len(f.buckets))%len(f.buckets)]
		if now.Sub(b.start) > f.window {
			break
		}
		if m == 0 || b.min < m {
			m = b.min
		}
	}
	return m
}

// maxRing is the maximum of the last few values, one value per round.
type maxRing struct {
	v [10]float64
	i int
}

func (m *maxRing) push(x float64) {
	m.i = (m.i + 1) % len(m.v)
	m.v[m.i] = x
}

// max over the newest n values.
func (m *maxRing) max(n int) float64 {
	var r float64
	for k := range min(n, len(m.v)) {
		r = max(r, m.v[(m.i-k+len(m.v))%len(m.v)])
	}
	return r
}

// longMax is the maximum of the last 32 values, one value per round.
type longMax struct {
	v [32]float64
	i int
}

func (m *longMax) push(x float64) {
	m.i = (m.i + 1) % len(m.v)
	m.v[m.i] = x
}

// max over the newest n values.
func (m *longMax) max(n int) float64 {
	var r float64
	for k := range min(n, len(m.v)) {
		r = max(r, m.v[(m.i-k+len(m.v))%len(m.v)])
	}
	return r
}
