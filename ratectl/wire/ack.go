package wire

import (
	"encoding/binary"
	"math"
	"time"
)

// Range is an inclusive range of packet numbers.
type Range struct {
	Smallest, Largest uint64
}

// Ack acknowledges received packet numbers and grants stream credit.
// Ranges are in descending order, disjoint and not adjacent (at least one
// missing number between two ranges); Ranges[0].Largest is the largest
// number received. An Ack carries at most MaxAckRanges ranges; a receiver
// reports its newest ranges.
type Ack struct {
	DestID ConnID
	// Delay is how long the receiver held the largest acknowledged packet
	// before sending this Ack; senders subtract it from RTT samples.
	Delay time.Duration
	// Window is the absolute stream offset up to which the receiver accepts
	// data (the sender may send bytes with offset+length <= Window).
	Window uint64
	Ranges []Range
}

// ackFixed is the size of an Ack before its range encoding.
const ackFixed = HeaderLen + 4 + 8 + 8

// Largest returns the largest acknowledged packet number.
func (p *Ack) Largest() uint64 { return p.Ranges[0].Largest }

// Append encodes p onto b. It encodes at most MaxAckRanges ranges; ranges
// that break the ordering rules are cut off together with all after them.
// An Ack without ranges must not be encoded.
func (p *Ack) Append(b []byte) []byte {
	b = appendHeader(b, TypeAck, p.DestID)
	us := p.Delay.Microseconds()
	b = binary.BigEndian.AppendUint32(b, uint32(min(max(us, 0), math.MaxUint32)))
	b = binary.BigEndian.AppendUint64(b, p.Window)
	first := p.Ranges[0]
	b = binary.BigEndian.AppendUint64(b, first.Largest)
	b = binary.AppendUvarint(b, first.Largest-first.Smallest)
	n := p.encodableRanges()
	b = append(b, byte(n-1))
	prev := first
	for _, r := range p.Ranges[1:n] {
		b = binary.AppendUvarint(b, prev.Smallest-r.Largest-2)
		b = binary.AppendUvarint(b, r.Largest-r.Smallest)
		prev = r
	}
	return b
}

// encodableRanges returns how many leading ranges obey the ordering rules.
func (p *Ack) encodableRanges() int {
	n := 1
	for n < len(p.Ranges) && n < MaxAckRanges {
		prev, r := p.Ranges[n-1], p.Ranges[n]
		if r.Smallest > r.Largest || prev.Smallest < 2 || r.Largest > prev.Smallest-2 {
			break
		}
		n++
	}
	return n
}

// ParseAck parses an Ack into p, reusing p.Ranges' storage.
func ParseAck(b []byte, p *Ack) error {
	ranges := p.Ranges[:0]
	*p = Ack{}
	r, id, err := start(b, TypeAck)
	if err != nil {
		return err
	}
	p.DestID = id
	p.Delay = time.Duration(r.u32("delay")) * time.Microsecond
	p.Window = r.u64("window")
	largest := r.u64("largest")
	firstLen := r.uvarint("first range")
	if r.err == nil && firstLen > largest {
		r.fail("first range", ErrInvalid)
	}
	count := int(r.u8("range count"))
	if count >= MaxAckRanges {
		r.fail("range count", ErrTooLarge)
	}
	if r.err != nil {
		return r.err
	}
	ranges = append(ranges, Range{Smallest: largest - firstLen, Largest: largest})
	for i := 0; i < count && r.err == nil; i++ {
		gap, n := r.uvarint("gap"), r.uvarint("range length")
		prev := ranges[len(ranges)-1].Smallest
		if r.err != nil || prev < 2 || gap > prev-2 || n > prev-2-gap {
			r.fail("gap", ErrInvalid)
			break
		}
		hi := prev - 2 - gap
		ranges = append(ranges, Range{Smallest: hi - n, Largest: hi})
	}
	p.Ranges = ranges
	return r.done()
}
