package wire

import "encoding/binary"

// Data carries Payload at stream Offset. Number is the packet number, never
// reused by a sender: a retransmission gets a new Number and the old Offset.
type Data struct {
	DestID  ConnID
	Number  uint64
	Offset  uint64
	Fin     bool   // the stream ends after this payload
	Payload []byte // at most MaxDataPayload bytes
}

const flagFin = 0x01

// MaxOffset is the largest stream offset plus length a Data may describe.
const MaxOffset = 1<<62 - 1

// Append encodes p onto b.
func (p *Data) Append(b []byte) []byte {
	b = appendHeader(b, TypeData, p.DestID)
	b = binary.BigEndian.AppendUint64(b, p.Number)
	b = binary.BigEndian.AppendUint64(b, p.Offset)
	var flags byte
	if p.Fin {
		flags |= flagFin
	}
	b = append(b, flags)
	b = binary.BigEndian.AppendUint16(b, uint16(len(p.Payload)))
	return append(b, p.Payload...)
}

// ParseData parses a Data packet. The payload aliases b.
func ParseData(b []byte) (Data, error) {
	var p Data
	r, id, err := start(b, TypeData)
	if err != nil {
		return p, err
	}
	p.DestID = id
	p.Number = r.u64("number")
	p.Offset = r.u64("offset")
	flags := r.u8("flags")
	if flags&^flagFin != 0 {
		r.fail("flags", ErrInvalid)
	}
	p.Fin = flags&flagFin != 0
	n := int(r.u16("length"))
	if n > MaxDataPayload {
		r.fail("length", ErrTooLarge)
	}
	if p.Offset > MaxOffset-uint64(n) {
		r.fail("offset", ErrTooLarge)
	}
	p.Payload = r.bytes(n, "payload")
	if n == 0 && !p.Fin {
		r.fail("length", ErrInvalid)
	}
	return p, r.done()
}

// Ping elicits an acknowledgement; it keeps paths open, probes for tail
// loss, confirms the handshake and, padded, probes the path MTU.
type Ping struct {
	DestID ConnID
	Number uint64
	Pad    int // zero bytes after the number (a path MTU probe's size)
}

// PingLen is the encoded size of a Ping without padding.
const PingLen = HeaderLen + 8

// Append encodes p onto b.
func (p *Ping) Append(b []byte) []byte {
	b = appendHeader(b, TypePing, p.DestID)
	b = binary.BigEndian.AppendUint64(b, p.Number)
	return append(b, make([]byte, max(p.Pad, 0))...)
}

// ParsePing parses a Ping and its padding, which must be zero bytes.
func ParsePing(b []byte) (Ping, error) {
	var p Ping
	r, id, err := start(b, TypePing)
	if err != nil {
		return p, err
	}
	p.DestID = id
	p.Number = r.u64("number")
	if r.err == nil {
		pad := r.bytes(len(r.b), "padding")
		for _, c := range pad {
			if c != 0 {
				r.fail("padding", ErrInvalid)
				break
			}
		}
		p.Pad = len(pad)
	}
	return p, r.done()
}

// Close ends a connection. Code 0 is a clean close.
type Close struct {
	DestID ConnID
	Code   uint16
	Reason string // at most MaxReasonLen bytes
}

// Append encodes p onto b; a longer reason is cut to MaxReasonLen bytes.
func (p *Close) Append(b []byte) []byte {
	b = appendHeader(b, TypeClose, p.DestID)
	b = binary.BigEndian.AppendUint16(b, p.Code)
	reason := p.Reason
	if len(reason) > MaxReasonLen {
		reason = reason[:MaxReasonLen]
	}
	b = append(b, byte(len(reason)))
	return append(b, reason...)
}

// ParseClose parses a Close.
func ParseClose(b []byte) (Close, error) {
	var p Close
	r, id, err := start(b, TypeClose)
	if err != nil {
		return p, err
	}
	p.DestID = id
	p.Code = r.u16("code")
	n := int(r.u8("reason length"))
	if n > MaxReasonLen {
		r.fail("reason length", ErrTooLarge)
	}
	p.Reason = string(r.bytes(n, "reason"))
	return p, r.done()
}
