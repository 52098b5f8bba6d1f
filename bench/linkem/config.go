package linkem

import (
	"errors"
	"fmt"
	"time"
)

// DefaultReorderDelay is how long a packet picked for reordering is held back
// when Config.ReorderDelay is zero.
const DefaultReorderDelay = 5 * time.Millisecond

// ErrConfig is wrapped by every configuration error.
var ErrConfig = errors.New("linkem: invalid configuration")

// Config describes one direction of a link.
type Config struct {
	// Rate is the bottleneck rate in bits per second of IP packets
	// (headers included). Zero means no bottleneck and no queue.
	Rate int64
	// Delay is the one-way propagation delay.
	Delay time.Duration
	// Jitter adds a uniform random delay in [-Jitter, +Jitter] to each
	// packet. Packets are still delivered in order unless Reorder or
	// JitterReorders is set.
	Jitter time.Duration
	// JitterReorders lets jitter reorder packets, as Linux netem's delay
	// jitter does: each packet keeps its own random delay, so a packet
	// drawn short overtakes those drawn long before it.
	JitterReorders bool
	// Loss is the random loss on the wire, after the bottleneck.
	Loss LossSpec
	// QueueBytes is the drop-tail limit in bytes. If zero, QueueDelay sets
	// the limit as QueueDelay at Rate. If both are zero the queue holds
	// one bandwidth-delay product of 2*Delay (at least 64 KiB).
	QueueBytes int64
	// QueueDelay expresses the queue limit as time at the bottleneck rate.
	QueueDelay time.Duration
	// Reorder is the probability that a packet is held back by ReorderDelay
	// and overtaken by the packets that follow it.
	Reorder float64
	// ReorderDelay is the extra delay of reordered packets
	// (DefaultReorderDelay if zero).
	ReorderDelay time.Duration
	// Duplicate is the probability that a packet is delivered twice.
	Duplicate float64
}

// Validate reports the first invalid field, wrapping ErrConfig.
func (c Config) Validate() error {
	switch {
	case c.Rate < 0:
		return fmt.Errorf("%w: negative rate %d", ErrConfig, c.Rate)
	case c.Delay < 0 || c.Jitter < 0 || c.QueueDelay < 0 || c.ReorderDelay < 0:
		return fmt.Errorf("%w: negative duration", ErrConfig)
	case c.QueueBytes < 0:
		return fmt.Errorf("%w: negative queue size %d", ErrConfig, c.QueueBytes)
	case !isProb(c.Reorder) || !isProb(c.Duplicate):
		return fmt.Errorf("%w: reorder and duplicate must be in [0,1]", ErrConfig)
	}
	return c.Loss.Validate()
}

// QueueLimit returns the drop-tail limit in bytes (0 when Rate is 0).
func (c Config) QueueLimit() int64 {
	if c.Rate == 0 {
		return 0
	}
	if c.QueueBytes > 0 {
		return c.QueueBytes
	}
	d := c.QueueDelay
	if d == 0 {
		d = 2 * c.Delay
	}
	b := bytesIn(d, c.Rate)
	return max(b, 64<<10)
}

// TxTime is the serialisation time of size bytes at rate bits per second.
func TxTime(size int, rate int64) time.Duration {
	if rate <= 0 {
		return 0
	}
	return time.Duration(int64(size) * 8 * int64(time.Second) / rate)
}

// bytesIn is how many bytes rate bits per second carries in d.
func bytesIn(d time.Duration, rate int64) int64 {
	// Split to avoid overflow: rate up to 1e11, d up to hours.
	sec := int64(d / time.Second)
	rem := int64(d % time.Second)
	return sec*rate/8 + rem*rate/8/int64(time.Second)
}

func isProb(p float64) bool { return p >= 0 && p <= 1 }
