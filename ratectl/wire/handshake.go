package wire

import "encoding/binary"

// Initial opens a connection. DestID is random on the first attempt and
// repeated on a retry; SrcID is the client's own connection ID. Cookie is
// empty until the server has sent a Retry. Encoded Initials are padded to
// MinInitialSize.
type Initial struct {
	DestID  ConnID
	SrcID   ConnID
	Version uint32
	Window  uint64 // initial receive credit: bytes the client accepts
	Cookie  []byte // at most MaxCookieLen bytes
}

// initialFixed is the size of an Initial without cookie and padding bytes.
const initialFixed = HeaderLen + ConnIDLen + 4 + 8 + 1 + 2

// Append encodes p, padded to MinInitialSize, onto b.
func (p *Initial) Append(b []byte) []byte {
	b = appendHeader(b, TypeInitial, p.DestID)
	b = append(b, p.SrcID[:]...)
	b = binary.BigEndian.AppendUint32(b, p.Version)
	b = binary.BigEndian.AppendUint64(b, p.Window)
	b = append(b, byte(len(p.Cookie)))
	b = append(b, p.Cookie...)
	pad := max(0, MinInitialSize-initialFixed-len(p.Cookie))
	b = binary.BigEndian.AppendUint16(b, uint16(pad))
	return append(b, make([]byte, pad)...)
}

// ParseInitial parses an Initial. The cookie aliases b.
func ParseInitial(b []byte) (Initial, error) {
	var p Initial
	if len(b) < MinInitialSize {
		return p, perr(TypeInitial, "size", ErrTruncated)
	}
	r, id, err := start(b, TypeInitial)
	if err != nil {
		return p, err
	}
	p.DestID = id
	p.SrcID = r.connID("src id")
	p.Version = r.u32("version")
	p.Window = r.u64("window")
	n := int(r.u8("cookie length"))
	if n > MaxCookieLen {
		r.fail("cookie length", ErrTooLarge)
	}
	p.Cookie = r.bytes(n, "cookie")
	pad := r.bytes(int(r.u16("padding length")), "padding")
	for _, c := range pad {
		if c != 0 {
			r.fail("padding", ErrInvalid)
			break
		}
	}
	if len(p.Cookie) == 0 {
		p.Cookie = nil
	}
	return p, r.done()
}

// Retry carries a stateless cookie back to the client. DestID is the
// client's SrcID; OrigDestID echoes the DestID of the Initial.
type Retry struct {
	DestID     ConnID
	OrigDestID ConnID
	Cookie     []byte // 1..MaxCookieLen bytes
}

// Append encodes p onto b.
func (p *Retry) Append(b []byte) []byte {
	b = appendHeader(b, TypeRetry, p.DestID)
	b = append(b, p.OrigDestID[:]...)
	b = append(b, byte(len(p.Cookie)))
	return append(b, p.Cookie...)
}

// ParseRetry parses a Retry. The cookie aliases b.
func ParseRetry(b []byte) (Retry, error) {
	var p Retry
	r, id, err := start(b, TypeRetry)
	if err != nil {
		return p, err
	}
	p.DestID = id
	p.OrigDestID = r.connID("orig dest id")
	n := int(r.u8("cookie length"))
	if n == 0 {
		r.fail("cookie length", ErrInvalid)
	} else if n > MaxCookieLen {
		r.fail("cookie length", ErrTooLarge)
	}
	p.Cookie = r.bytes(n, "cookie")
	return p, r.done()
}

// Accept completes the server's side of the handshake. DestID is the
// client's SrcID, SrcID the server's connection ID.
type Accept struct {
	DestID ConnID
	SrcID  ConnID
	Window uint64 // initial receive credit of the server
}

// AcceptLen is the encoded size of an Accept.
const AcceptLen = HeaderLen + ConnIDLen + 8

// Append encodes p onto b.
func (p *Accept) Append(b []byte) []byte {
	b = appendHeader(b, TypeAccept, p.DestID)
	b = append(b, p.SrcID[:]...)
	return binary.BigEndian.AppendUint64(b, p.Window)
}

// ParseAccept parses an Accept.
func ParseAccept(b []byte) (Accept, error) {
	var p Accept
	r, id, err := start(b, TypeAccept)
	if err != nil {
		return p, err
	}
	p.DestID = id
	p.SrcID = r.connID("src id")
	p.Window = r.u64("window")
	if p.SrcID.IsZero() {
		r.fail("src id", ErrInvalid)
	}
	return p, r.done()
}
