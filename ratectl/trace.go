package ratectl

import (
	"encoding/json"
	"io"
	"sync"
	"time"
)

// TraceRecord is one interval of a connection's rate control, meant to be
// plotted: one JSON object per line.
type TraceRecord struct {
	Time       time.Time     `json:"t"`
	Conn       string        `json:"conn,omitempty"`
	Policy     string        `json:"policy"`
	Mode       string        `json:"mode"`
	Rate       float64       `json:"rate"`        // pacing rate, bytes/s
	Delivery   float64       `json:"delivery"`    // bytes acked per second over the interval
	RTT        time.Duration `json:"rtt_ns"`      // smoothed
	BaseRTT    time.Duration `json:"base_rtt_ns"` // windowed minimum
	QueueDelay time.Duration `json:"queue_ns"`    // estimated queueing delay
	Jitter     time.Duration `json:"jitter_ns"`   // the path's delay noise
	LossRate   float64       `json:"loss"`        // smoothed lost/(acked+lost)
	InFlight   int           `json:"inflight"`    // bytes unacknowledged
	Retrans    int64         `json:"retrans"`     // bytes retransmitted so far
	Dips       int           `json:"dips"`        // competitor queue dips counted (the follow mode's detector)
	// Unsent is what the application has written but not yet sent, and
	// Credit what the peer's receive credit still allows: a sender with
	// little in flight and nothing unsent waits for its application; one
	// with data unsent and no credit waits for its peer to read.
	Unsent int64 `json:"unsent"`
	Credit int64 `json:"credit"`
}

// Tracer receives trace records. Implementations must be safe for
// concurrent use: several connections may share one.
type Tracer interface {
	Trace(TraceRecord)
}

// JSONTracer writes records as JSON lines.
type JSONTracer struct {
	mu  sync.Mutex
	enc *json.Encoder
}

// NewJSONTracer returns a tracer writing to w.
func NewJSONTracer(w io.Writer) *JSONTracer {
	return &JSONTracer{enc: json.NewEncoder(w)}
}

// Trace writes r as one line; write errors are dropped (tracing must not
// disturb a transfer).
func (t *JSONTracer) Trace(r TraceRecord) {
	t.mu.Lock()
	defer t.mu.Unlock()
	_ = t.enc.Encode(r)
}

// DefaultTraceInterval is how often a connection emits a record.
const DefaultTraceInterval = 100 * time.Millisecond

// Interval tells when the next trace record is due.
type Interval struct {
	Every time.Duration
	next  time.Time
}

// Due reports whether a record is due at now and, if so, schedules the
// next one.
func (iv *Interval) Due(now time.Time) bool {
	every := iv.Every
	if every <= 0 {
		every = DefaultTraceInterval
	}
	if iv.next.IsZero() {
		iv.next = now.Add(every)
		return false
	}
	if now.Before(iv.next) {
		return false
	}
	iv.next = iv.next.Add(every)
	if iv.next.Before(now) {
		iv.next = now.Add(every)
	}
	return true
}
