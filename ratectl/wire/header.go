package wire

import (
	"encoding/binary"
	"encoding/hex"
)

// Type is a packet type, the low nibble of byte 0.
type Type uint8

// Packet types.
const (
	TypeInitial Type = 1 // client hello, optionally with a cookie
	TypeRetry   Type = 2 // stateless cookie challenge from the server
	TypeAccept  Type = 3 // server accepts, names its connection ID
	TypeData    Type = 4 // stream bytes at an offset
	TypeAck     Type = 5 // selective acknowledgement and window credit
	TypeClose   Type = 6 // connection close with a code
	TypePing    Type = 7 // ack-eliciting keepalive
)

// String names the type.
func (t Type) String() string {
	switch t {
	case TypeInitial:
		return "initial"
	case TypeRetry:
		return "retry"
	case TypeAccept:
		return "accept"
	case TypeData:
		return "data"
	case TypeAck:
		return "ack"
	case TypeClose:
		return "close"
	case TypePing:
		return "ping"
	}
	return "unknown"
}

// Marker is the fixed high nibble of byte 0 of every packet.
const Marker = 0x50

// Version is the protocol version carried in Initial packets.
const Version uint32 = 1

// Sizes and caps.
const (
	ConnIDLen     = 8
	HeaderLen     = 1 + ConnIDLen // type byte and destination connection ID
	MaxPacketSize = 9000          // largest datagram this protocol sends or parses
	// MinInitialSize is the least size of an Initial datagram; the padding
	// gives the server a 3x anti-amplification budget for its reply.
	MinInitialSize = 1200
	MaxCookieLen   = 64
	MaxReasonLen   = 128
	MaxAckRanges   = 64 // ranges in one Ack, the first included
	// DataHeaderLen is the size of a Data packet without its payload.
	DataHeaderLen  = HeaderLen + 8 + 8 + 1 + 2
	MaxDataPayload = MaxPacketSize - DataHeaderLen
)

// ConnID names one end of a connection. The zero value is reserved and
// never appears as a destination after the handshake.
type ConnID [ConnIDLen]byte

// IsZero reports whether the ID is all zero bytes.
func (c ConnID) IsZero() bool { return c == ConnID{} }

// String renders the ID in hex.
func (c ConnID) String() string { return hex.EncodeToString(c[:]) }

// PeekHeader returns the type and destination connection ID of a datagram
// without parsing the rest. It fails on a wrong marker, an unknown type or a
// datagram shorter than the header, so that garbage is dropped cheaply.
func PeekHeader(b []byte) (Type, ConnID, error) {
	var id ConnID
	if len(b) < HeaderLen {
		return 0, id, perr(0, "header", ErrTruncated)
	}
	if len(b) > MaxPacketSize {
		return 0, id, perr(0, "header", ErrTooLarge)
	}
	if b[0]&0xf0 != Marker {
		return 0, id, perr(0, "marker", ErrInvalid)
	}
	t := Type(b[0] & 0x0f)
	if t < TypeInitial || t > TypePing {
		return 0, id, perr(t, "type", ErrUnknownType)
	}
	copy(id[:], b[1:HeaderLen])
	return t, id, nil
}

func appendHeader(b []byte, t Type, dst ConnID) []byte {
	b = append(b, Marker|byte(t))
	return append(b, dst[:]...)
}

// reader consumes a packet front to back; the first failure sticks.
type reader struct {
	b   []byte
	t   Type
	err error
}

func (r *reader) fail(field string, err error) {
	if r.err == nil {
		r.err = perr(r.t, field, err)
	}
}

func (r *reader) bytes(n int, field string) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || len(r.b) < n {
		r.fail(field, ErrTruncated)
		return nil
	}
	v := r.b[:n:n]
	r.b = r.b[n:]
	return v
}

func (r *reader) u8(field string) uint8 {
	if v := r.bytes(1, field); v != nil {
		return v[0]
	}
	return 0
}

func (r *reader) u16(field string) uint16 {
	if v := r.bytes(2, field); v != nil {
		return binary.BigEndian.Uint16(v)
	}
	return 0
}

func (r *reader) u32(field string) uint32 {
	if v := r.bytes(4, field); v != nil {
		return binary.BigEndian.Uint32(v)
	}
	return 0
}

func (r *reader) u64(field string) uint64 {
	if v := r.bytes(8, field); v != nil {
		return binary.BigEndian.Uint64(v)
	}
	return 0
}

func (r *reader) connID(field string) ConnID {
	var id ConnID
	copy(id[:], r.bytes(ConnIDLen, field))
	return id
}

// uvarint reads a minimally encoded unsigned varint.
func (r *reader) uvarint(field string) uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	switch {
	case n == 0:
		r.fail(field, ErrTruncated)
		return 0
	case n < 0 || n != uvarintLen(v):
		r.fail(field, ErrInvalid)
		return 0
	}
	r.b = r.b[n:]
	return v
}

// done checks that the whole packet was consumed.
func (r *reader) done() error {
	if r.err == nil && len(r.b) != 0 {
		r.fail("length", ErrTrailing)
	}
	return r.err
}

// start checks the header of b against type t and returns a reader past it.
func start(b []byte, t Type) (reader, ConnID, error) {
	got, id, err := PeekHeader(b)
	if err != nil {
		return reader{}, id, err
	}
	if got != t {
		return reader{}, id, perr(t, "type", ErrWrongType)
	}
	return reader{b: b[HeaderLen:], t: t}, id, nil
}

func uvarintLen(v uint64) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}
