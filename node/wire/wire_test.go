package wire

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/ipfs/go-cid"
	"github.com/multiformats/go-multihash"
)

func testCID(t testing.TB) cid.Cid {
	t.Helper()
	mh, err := multihash.Sum([]byte("hello"), multihash.SHA2_256, -1)
	if err != nil {
		t.Fatal(err)
	}
	return cid.NewCidV1(cid.Raw, mh)
}

func bodyOf(t testing.TB, frame []byte) []byte {
	t.Helper()
	n, k := binary.Uvarint(frame)
	if k <= 0 || int(n) != len(frame)-k {
		t.Fatalf("bad frame prefix")
	}
	return frame[k:]
}

func seeds(t testing.TB) []Message {
	return []Message{
		{Type: TypeGet, ID: 7, CID: testCID(t)},
		{Type: TypeBlock, ID: 1 << 40, Data: []byte("some bytes")},
		{Type: TypeBlock, ID: 0, Data: []byte{}},
		{Type: TypeNotFound, ID: 3},
		{Type: TypeError, ID: 9, Code: CodeBusy, Text: "busy"},
		{Type: TypeRate, ID: 10, Policy: 2, Target: 25e6, MinRate: 1e6},
		{Type: TypeRateOK, ID: 10, Policy: 1, Target: 12e6},
		{Type: TypeHave, ID: 11, CID: testCID(t)},
		{Type: TypeHaveList, ID: 11, State: HaveAll},
		{Type: TypeHaveList, ID: 12, State: HavePartial, Count: 11, Bits: []byte{0xff, 0x05}},
		{Type: TypeEndpoints, ID: 13, CID: testCID(t)},
		{Type: TypeEndpointList, ID: 13, URLs: []string{"https://mirror.example/data/", "http://10.0.0.7:8080/x?sig=1"}},
		{Type: TypeEndpointList, ID: 14, URLs: []string{}},
		{Type: TypePush, ID: 15, CID: testCID(t), Budget: 4 << 20},
		{Type: TypePush, ID: 16, CID: testCID(t)},
	}
}

func TestRoundTrip(t *testing.T) {
	for _, m := range seeds(t) {
		frame, err := AppendFrame(nil, &m)
		if err != nil {
			t.Fatal(err)
		}
		body, err := ReadFrame(bufio.NewReader(bytes.NewReader(frame)), nil)
		if err != nil {
			t.Fatalf("type %d: %v", m.Type, err)
		}
		got, err := Decode(body)
		if err != nil {
			t.Fatalf("type %d: %v", m.Type, err)
		}
		if got.Type != m.Type || got.ID != m.ID || !got.CID.Equals(m.CID) ||
			!bytes.Equal(got.Data, m.Data) || got.Code != m.Code || got.Text != m.Text ||
			got.Policy != m.Policy || got.Target != m.Target || got.MinRate != m.MinRate ||
			got.State != m.State || got.Count != m.Count || !bytes.Equal(got.Bits, m.Bits) ||
			!slices.Equal(got.URLs, m.URLs) {
			t.Fatalf("round trip: got %+v want %+v", got, m)
		}
	}
}

func TestTruncatedNeverParses(t *testing.T) {
	for _, m := range seeds(t) {
		if m.Type == TypeBlock {
			continue // a block's payload is the rest of the frame: a prefix is a shorter block, caught by its hash
		}
		frame, _ := AppendFrame(nil, &m)
		body := bodyOf(t, frame)
		for i := 0; i < len(body); i++ {
			if _, err := Decode(body[:i]); err == nil {
				t.Fatalf("type %d: prefix of %d/%d bytes parsed", m.Type, i, len(body))
			}
		}
		// A truncated stream is an unexpected EOF, never a clean one.
		for i := 1; i < len(frame); i++ {
			_, err := ReadFrame(bufio.NewReader(bytes.NewReader(frame[:i])), nil)
			if err == nil || errors.Is(err, io.EOF) {
				t.Fatalf("type %d: stream cut at %d gave %v", m.Type, i, err)
			}
		}
	}
}

func TestCaps(t *testing.T) {
	huge := []byte{0xff, 0xff, 0xff, 0xff, 0x0f} // ~4 GiB length prefix
	if _, err := ReadFrame(bufio.NewReader(bytes.NewReader(huge)), nil); !errors.Is(err, ErrMalformed) {
		t.Fatalf("oversized frame: %v", err)
	}
	if _, err := AppendFrame(nil, &Message{Type: TypeBlock, Data: make([]byte, MaxBlock+1)}); err == nil {
		t.Fatal("oversized block encoded")
	}
	if _, err := Decode([]byte{byte(TypeGet), 0x80, 0x00}); !errors.Is(err, ErrMalformed) {
		t.Fatalf("non-minimal varint accepted: %v", err)
	}
	// The frame length too (found by review): 2 in two bytes, then a
	// NOT_FOUND for request 0.
	nonMinimal := []byte{0x82, 0x00, byte(TypeNotFound), 0x00}
	if _, err := ReadFrame(bufio.NewReader(bytes.NewReader(nonMinimal)), nil); !errors.Is(err, ErrMalformed) {
		t.Fatalf("non-minimal frame length accepted: %v", err)
	}
	if _, err := Decode([]byte{99, 0}); !errors.Is(err, ErrMalformed) {
		t.Fatalf("unknown type accepted: %v", err)
	}
}

func FuzzDecode(f *testing.F) {
	for _, m := range seeds(f) {
		frame, _ := AppendFrame(nil, &m)
		f.Add(bodyOf(f, frame))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		m, err := Decode(body)
		if err != nil {
			return
		}
		again, err := AppendFrame(nil, &m)
		if err != nil {
			t.Fatalf("decoded message does not encode: %v", err)
		}
		if !bytes.Equal(bodyOf(t, again), body) {
			t.Fatalf("round trip changed the encoding:\n in  %x\n out %x", body, bodyOf(t, again))
		}
	})
}

func TestBlockHeaderMatchesFrame(t *testing.T) {
	data := []byte("chunk bytes")
	full, _ := AppendFrame(nil, &Message{Type: TypeBlock, ID: 300, Data: data})
	hdr := AppendBlockHeader(nil, 300, len(data))
	if !bytes.Equal(append(hdr, data...), full) {
		t.Fatalf("header+data %x != frame %x", append(hdr, data...), full)
	}
}

func TestEndpointCaps(t *testing.T) {
	for _, urls := range [][]string{
		make([]string, MaxEndpoints+1),
		{""},
		{strings.Repeat("x", MaxEndpointLen+1)},
	} {
		for i := range urls {
			if urls[i] == "" && len(urls) > 1 {
				urls[i] = "http://x/"
			}
		}
		if _, err := AppendFrame(nil, &Message{Type: TypeEndpointList, URLs: urls}); !errors.Is(err, ErrMalformed) {
			t.Errorf("%d urls encoded: %v", len(urls), err)
		}
	}
	// A count over the cap is refused before anything is allocated.
	if _, err := Decode([]byte{byte(TypeEndpointList), 1, MaxEndpoints + 1}); !errors.Is(err, ErrMalformed) {
		t.Fatalf("count over cap: %v", err)
	}
	// A length running past the frame is refused.
	if _, err := Decode([]byte{byte(TypeEndpointList), 1, 1, 5, 'h', 't'}); !errors.Is(err, ErrMalformed) {
		t.Fatalf("overlong URL: %v", err)
	}
}

// A PUSH must end exactly after its budget; a GET exactly after its CID.
func TestPushFraming(t *testing.T) {
	frame, err := AppendFrame(nil, &Message{Type: TypePush, ID: 1, CID: testCID(t), Budget: 300})
	if err != nil {
		t.Fatal(err)
	}
	body := bodyOf(t, frame)
	if _, err := Decode(append(body, 0)); !errors.Is(err, ErrMalformed) {
		t.Fatalf("trailing byte after the budget accepted: %v", err)
	}
	if _, err := Decode(body[:len(body)-1]); !errors.Is(err, ErrMalformed) {
		t.Fatalf("push without its whole budget accepted: %v", err)
	}
	get, _ := AppendFrame(nil, &Message{Type: TypeGet, ID: 1, CID: testCID(t)})
	if _, err := Decode(append(bodyOf(t, get), 0)); !errors.Is(err, ErrMalformed) {
		t.Fatalf("trailing byte after a GET's CID accepted: %v", err)
	}
	if _, err := AppendFrame(nil, &Message{Type: TypePush}); !errors.Is(err, ErrMalformed) {
		t.Fatalf("push without a root encoded: %v", err)
	}
}

// TestRatePolicyDefault: a RATE may ask for the responder's own settings
// (policy 0); a RATE_OK always names the policy it applied.
func TestRatePolicyDefault(t *testing.T) {
	for _, c := range []struct {
		typ Type
		ok  bool
	}{{TypeRate, true}, {TypeRateOK, false}} {
		frame, err := AppendFrame(nil, &Message{Type: c.typ, ID: 1, Policy: PolicyDefault})
		if err != nil {
			t.Fatal(err)
		}
		_, err = Decode(bodyOf(t, frame))
		if (err == nil) != c.ok {
			t.Errorf("%v with policy 0: %v", c.typ, err)
		}
	}
}

// FuzzReadFrame: a frame read from any bytes is exactly its minimal length
// prefix and its body, and never longer than the limit.
func FuzzReadFrame(f *testing.F) {
	for _, m := range seeds(f) {
		frame, _ := AppendFrame(nil, &m)
		f.Add(frame)
	}
	f.Add([]byte{0x82, 0x00, byte(TypeNotFound), 0x00})
	f.Fuzz(func(t *testing.T, in []byte) {
		body, err := ReadFrameMax(bufio.NewReader(bytes.NewReader(in)), nil, 1<<16)
		if err != nil {
			return
		}
		prefix := binary.AppendUvarint(nil, uint64(len(body)))
		if len(body) > 1<<16 || !bytes.HasPrefix(in, append(prefix, body...)) {
			t.Fatalf("read %d-byte body from %x", len(body), in[:min(len(in), 32)])
		}
	})
}
