package wire

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
	"time"
)

var (
	cidA = ConnID{1, 2, 3, 4, 5, 6, 7, 8}
	cidB = ConnID{9, 10, 11, 12, 13, 14, 15, 16}
)

// samples returns one valid packet of every type (several for Ack).
func samples() []Packet {
	return []Packet{
		&Initial{DestID: cidA, SrcID: cidB, Version: Version, Window: 1 << 20},
		&Initial{DestID: cidA, SrcID: cidB, Version: Version, Window: 7, Cookie: []byte("cookie-bytes")},
		&Retry{DestID: cidB, OrigDestID: cidA, Cookie: []byte{1, 2, 3}},
		&Accept{DestID: cidB, SrcID: cidA, Window: 1 << 24},
		&Data{DestID: cidA, Number: 42, Offset: 1 << 40, Payload: []byte("hello")},
		&Data{DestID: cidA, Number: 43, Offset: 9, Fin: true},
		&Data{DestID: cidA, Number: 44, Offset: 5, Fin: true, Payload: bytes.Repeat([]byte{7}, MaxDataPayload)},
		&Ack{DestID: cidB, Delay: 1500 * time.Microsecond, Window: 99, Ranges: []Range{{10, 10}}},
		&Ack{DestID: cidB, Window: 1 << 30, Ranges: []Range{{900, 1000}, {500, 898}, {0, 3}}},
		&Ack{DestID: cidB, Ranges: manyRanges(MaxAckRanges)},
		&Close{DestID: cidA, Code: 3, Reason: "bye"},
		&Close{DestID: cidA},
		&Ping{DestID: cidA, Number: 1<<64 - 1},
	}
}

func manyRanges(n int) []Range {
	r := make([]Range, n)
	for i := range r {
		hi := uint64(10_000 - 10*i)
		r[i] = Range{Smallest: hi - 3, Largest: hi}
	}
	return r
}

func TestRoundTrip(t *testing.T) {
	for _, p := range samples() {
		b := p.Append(nil)
		got, err := Parse(b)
		if err != nil {
			t.Fatalf("%T: parse: %v", p, err)
		}
		if !reflect.DeepEqual(normalize(got), normalize(p)) {
			t.Errorf("%T: round trip\n got %+v\nwant %+v", p, got, p)
		}
		if again := got.Append(nil); !bytes.Equal(again, b) {
			t.Errorf("%T: re-encoding differs", p)
		}
	}
}

// normalize makes empty and nil payloads compare equal.
func normalize(p Packet) Packet {
	if d, ok := p.(*Data); ok && len(d.Payload) == 0 {
		c := *d
		c.Payload = nil
		return &c
	}
	return p
}

func TestEveryTruncationFails(t *testing.T) {
	for _, p := range samples() {
		b := p.Append(nil)
		for n := range len(b) {
			if _, err := Parse(b[:n]); err == nil {
				t.Fatalf("%T: truncation to %d of %d bytes parsed", p, n, len(b))
			}
		}
	}
}

func TestTrailingBytesFail(t *testing.T) {
	for _, p := range samples() {
		for _, extra := range []byte{0, 1} {
			if _, ping := p.(*Ping); ping && extra == 0 {
				continue // a Ping's padding: see TestPaddedPing
			}
			b := append(p.Append(nil), extra)
			if _, err := Parse(b); err == nil {
				t.Errorf("%T: trailing byte %d accepted", p, extra)
			}
		}
	}
}

// TestPaddedPing: a path MTU probe is a Ping padded with zero bytes to
// the size probed; any other byte after the number is malformed.
func TestPaddedPing(t *testing.T) {
	p := Ping{DestID: cidA, Number: 7, Pad: 1452 - PingLen}
	b := p.Append(nil)
	if len(b) != 1452 {
		t.Fatalf("padded ping is %d bytes, want 1452", len(b))
	}
	got, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if g := got.(*Ping); *g != p {
		t.Fatalf("parsed %+v, want %+v", *g, p)
	}
	b[len(b)-1] = 9
	if _, err := Parse(b); !errors.Is(err, ErrInvalid) {
		t.Fatalf("non-zero padding: err %v, want ErrInvalid", err)
	}
}

func TestInitialIsPadded(t *testing.T) {
	p := Initial{DestID: cidA, SrcID: cidB, Cookie: make([]byte, MaxCookieLen)}
	if n := len(p.Append(nil)); n != MinInitialSize {
		t.Fatalf("initial size %d, want %d", n, MinInitialSize)
	}
}

func TestRejects(t *testing.T) {
	data := (&Data{DestID: cidA, Number: 1, Offset: 2, Payload: []byte("x")}).Append(nil)
	badFlags := bytes.Clone(data)
	badFlags[HeaderLen+16] = 0x80
	hugeOffset := (&Data{DestID: cidA, Offset: MaxOffset, Payload: []byte("xy")}).Append(nil)
	empty := (&Data{DestID: cidA, Offset: 2}).Append(nil)
	badMarker := bytes.Clone(data)
	badMarker[0] = 0x14
	unknown := bytes.Clone(data)
	unknown[0] = Marker | 0x0f
	ack := (&Ack{DestID: cidA, Ranges: []Range{{5, 10}}}).Append(nil)
	nonMinimal := append(bytes.Clone(ack[:ackFixed]), 0x85, 0x00, 0) // 5 as two bytes
	underflow := (&Ack{DestID: cidA, Ranges: []Range{{5, 10}}}).Append(nil)
	underflow[len(underflow)-1] = 1 // claims one more range
	underflow = append(underflow, 4, 0)
	retry := (&Retry{DestID: cidA, Cookie: []byte{1}}).Append(nil)
	noCookie := append(bytes.Clone(retry[:HeaderLen+ConnIDLen]), 0)
	longCookie := (&Initial{DestID: cidA, Cookie: make([]byte, MaxCookieLen+1)}).Append(nil)
	dirtyPad := (&Initial{DestID: cidA}).Append(nil)
	dirtyPad[len(dirtyPad)-1] = 1
	zeroSrc := (&Accept{DestID: cidA}).Append(nil)
	tooBig := make([]byte, MaxPacketSize+1)
	tooBig[0] = Marker | byte(TypePing)
	cases := []struct {
		name string
		b    []byte
		want error
	}{
		{"empty", nil, ErrTruncated},
		{"reserved flags", badFlags, ErrInvalid},
		{"offset overflow", hugeOffset, ErrTooLarge},
		{"empty data without fin", empty, ErrInvalid},
		{"bad marker", badMarker, ErrInvalid},
		{"unknown type", unknown, ErrUnknownType},
		{"non-minimal varint", nonMinimal, ErrInvalid},
		{"ack range underflow", underflow, ErrInvalid},
		{"retry without cookie", noCookie, ErrInvalid},
		{"cookie over cap", longCookie, ErrTooLarge},
		{"nonzero padding", dirtyPad, ErrInvalid},
		{"accept zero src", zeroSrc, ErrInvalid},
		{"datagram over cap", tooBig, ErrTooLarge},
	}
	for _, c := range cases {
		_, err := Parse(c.b)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: err %v, want %v", c.name, err, c.want)
		}
		var pe *ParseError
		if err != nil && !errors.As(err, &pe) {
			t.Errorf("%s: error %T is not a *ParseError", c.name, err)
		}
	}
}

func TestAckAppendCutsBadRanges(t *testing.T) {
	p := Ack{DestID: cidA, Ranges: []Range{{10, 20}, {9, 9}, {1, 2}}} // 9 adjacent to 10
	var got Ack
	if err := ParseAck(p.Append(nil), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Ranges) != 1 {
		t.Fatalf("ranges %v, want only the first", got.Ranges)
	}
	over := Ack{DestID: cidA, Ranges: manyRanges(MaxAckRanges + 5)}
	if err := ParseAck(over.Append(nil), &got); err != nil || len(got.Ranges) != MaxAckRanges {
		t.Fatalf("ranges %d err %v, want %d", len(got.Ranges), err, MaxAckRanges)
	}
}

func TestPeekHeader(t *testing.T) {
	b := (&Ping{DestID: cidB, Number: 3}).Append(nil)
	typ, id, err := PeekHeader(b)
	if err != nil || typ != TypePing || id != cidB {
		t.Fatalf("peek: %v %v %v", typ, id, err)
	}
	if _, err := ParseData(b); !errors.Is(err, ErrWrongType) {
		t.Fatalf("ParseData of ping: %v", err)
	}
}

func TestParseDataDoesNotAllocate(t *testing.T) {
	b := (&Data{DestID: cidA, Number: 1, Offset: 2, Payload: make([]byte, 1200)}).Append(nil)
	var ack Ack
	ab := (&Ack{DestID: cidA, Ranges: manyRanges(8)}).Append(nil)
	ack.Ranges = make([]Range, 0, MaxAckRanges)
	n := testing.AllocsPerRun(100, func() {
		if _, err := ParseData(b); err != nil {
			t.Fatal(err)
		}
		if err := ParseAck(ab, &ack); err != nil {
			t.Fatal(err)
		}
	})
	if n != 0 {
		t.Fatalf("%v allocations per parse", n)
	}
}
