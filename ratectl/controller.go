package ratectl

import "time"

// AckSample describes newly acknowledged data.
type AckSample struct {
	// AckedBytes is how many bytes this ack newly acknowledged.
	AckedBytes int
	// RTT is the round-trip sample from the largest newly acknowledged
	// packet, with the receiver's ack delay removed; 0 when there is none.
	RTT time.Duration
	// InFlight is the bytes still unacknowledged after this ack.
	InFlight int
	// DeliveryRate is a delivery-rate sample in bytes/s (see RateSampler);
	// 0 when unknown.
	DeliveryRate float64
	// AppLimited marks a sample taken while the sender had nothing to send:
	// it says nothing about the path's capacity.
	AppLimited bool
}

// Controller decides the pacing rate of one connection. Implementations are
// not safe for concurrent use; the session's loop goroutine owns one.
type Controller interface {
	// OnAck reports acknowledged data.
	OnAck(now time.Time, s AckSample)
	// OnLoss reports bytes declared lost.
	OnLoss(now time.Time, lostBytes int)
	// Rate is the pacing rate in bytes/s.
	Rate() float64
	// InflightLimit is the most bytes the sender should have unacknowledged.
	InflightLimit() int
	// Snapshot describes the controller's state for traces and stats.
	Snapshot() Snapshot
	// SetMSS changes the payload size of a full packet (Config.MSS), as
	// path MTU discovery finds the size the path carries.
	SetMSS(mss int)
}

// Snapshot is a controller's view of the path.
type Snapshot struct {
	Policy     Policy
	Mode       string // e.g. "startup", "delay", "compete", "fixed"
	Rate       float64
	BaseRTT    time.Duration // windowed minimum RTT
	SRTT       time.Duration // smoothed RTT
	QueueDelay time.Duration // estimated queueing delay (SRTT-based)
	// Jitter is the path's delay noise (see docs/ratectl.md, "Jitter");
	// the adaptive policies leave a multiple of it out of the queue.
	Jitter   time.Duration
	Inflight int     // limit in bytes
	LossRate float64 // lost / (acked + lost), smoothed
	// TargetQueue is the queueing delay the adaptive policies aim for:
	// the policy's, or less on a buffer too shallow to hold it.
	TargetQueue time.Duration
	MSS         int // payload of a full packet (see SetMSS)
	// Dips counts the competitor's queue dips the follow mode's detector
	// has counted (blind.go): two at BBR's period turn the mode on.
	Dips int
}
