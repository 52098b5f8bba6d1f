// Package wire is the codec of Swarm's chunk exchange protocol
// /swarm/chunk/1.0.0: length-prefixed, size-capped frames carrying block
// requests and replies. It does no network I/O; see docs/spec/chunk-protocol.md.
package wire

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/ipfs/go-cid"
)

// ProtocolID is the libp2p protocol this codec speaks.
const ProtocolID = "/swarm/chunk/1.0.0"

// Caps. A frame larger than MaxFrame is rejected before it is read.
const (
	MaxBlock   = 16 << 20 // largest block (chunk or manifest block) carried
	MaxFrame   = MaxBlock + 256
	MaxCIDLen  = 128
	MaxMessage = 1024 // error message text
)

// Type is a message type byte.
type Type uint8

// Message types.
const (
	TypeGet          Type = 1  // request a block by CID
	TypeBlock        Type = 2  // the block's bytes
	TypeNotFound     Type = 3  // the responder does not have the block
	TypeError        Type = 4  // the responder failed; code and text
	TypeRate         Type = 5  // requester asks for a sending policy and rates
	TypeRateOK       Type = 6  // responder applied them (possibly capped)
	TypeHave         Type = 7  // which chunks of a root do you hold?
	TypeHaveList     Type = 8  // none, all, or a bitfield of chunk indexes
	TypeEndpoints    Type = 9  // which HTTP(S) URLs serve a root's bytes?
	TypeEndpointList Type = 10 // the URLs the responder has recorded (maybe none)
	TypePush         Type = 11 // send me the first Budget bytes of a root's chunks, unasked
)

// Have states carried by TypeHaveList.
const (
	HaveNone    uint8 = 0 // nothing of that root
	HaveAll     uint8 = 1 // every chunk
	HavePartial uint8 = 2 // the chunks set in Bits; a download is running, it grows
)

// MaxHaveChunks caps the bitfield of a TypeHaveList.
const MaxHaveChunks = 8 * MaxBlock

// Caps of a TypeEndpointList: URLs per list, bytes per URL.
const (
	MaxEndpoints   = 16
	MaxEndpointLen = 2048
)

// Error codes carried by TypeError.
const (
	CodeInternal   uint64 = 1
	CodeBadRequest uint64 = 2
	CodeBusy       uint64 = 3
)

// ErrMalformed is wrapped by every decoding error.
var ErrMalformed = errors.New("wire: malformed frame")

// Message is one decoded frame. Data aliases the decoded frame's memory.
type Message struct {
	Type Type
	ID   uint64  // request ID chosen by the requester, echoed in replies
	CID  cid.Cid // TypeGet
	Data []byte  // TypeBlock
	Code uint64  // TypeError
	Text string  // TypeError
	// TypeRate, TypeRateOK: policy (1 fixed, 2 fair, 3 high, 4 low; in
	// TypeRate also PolicyDefault) and rates in bytes per second (0: no
	// ceiling / default floor).
	Policy  uint8
	Target  uint64
	MinRate uint64
	// TypeHaveList: State (HaveNone, HaveAll, HavePartial) and, for
	// HavePartial, Count chunks with Bits holding ceil(Count/8) bytes
	// (bit i%8 of byte i/8 set: chunk i held). TypeHave uses CID.
	State uint8
	Count uint64
	Bits  []byte
	// TypeEndpointList: at most MaxEndpoints URLs of 1 to MaxEndpointLen
	// bytes. The codec checks only their sizes; what a URL may be is the
	// receiver's policy. TypeEndpoints uses CID.
	URLs []string
	// TypePush: the root (CID) and the most chunk bytes to push (Budget).
	// The blocks come back as TypeBlock frames whose ID is the chunk's
	// index in the manifest's chunk list.
	Budget uint64
}

func malformed(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, a...))
}

// AppendFrame appends the length-prefixed encoding of m to dst.
func AppendFrame(dst []byte, m *Message) ([]byte, error) {
	if m.Type == TypeBlock {
		if len(m.Data) > MaxBlock {
			return dst, malformed("block of %d bytes exceeds %d", len(m.Data), MaxBlock)
		}
		return append(AppendBlockHeader(dst, m.ID, len(m.Data)), m.Data...), nil
	}
	body, err := appendBody(nil, m)
	if err != nil {
		return dst, err
	}
	dst = binary.AppendUvarint(dst, uint64(len(body)))
	return append(dst, body...), nil
}

// AppendBlockHeader appends everything of a TypeBlock frame but its n data
// bytes, so a sender can write the data from where it already is.
func AppendBlockHeader(dst []byte, id uint64, n int) []byte {
	var idb [binary.MaxVarintLen64]byte
	k := binary.PutUvarint(idb[:], id)
	dst = binary.AppendUvarint(dst, uint64(1+k+n))
	dst = append(dst, byte(TypeBlock))
	return append(dst, idb[:k]...)
}

func appendBody(dst []byte, m *Message) ([]byte, error) {
	dst = append(dst, byte(m.Type))
	dst = binary.AppendUvarint(dst, m.ID)
	switch m.Type {
	case TypeGet, TypeHave, TypeEndpoints:
		if !m.CID.Defined() {
			return nil, malformed("request without CID")
		}
		b := m.CID.Bytes()
		dst = binary.AppendUvarint(dst, uint64(len(b)))
		dst = append(dst, b...)
	case TypeBlock:
		if len(m.Data) > MaxBlock {
			return nil, malformed("block of %d bytes exceeds %d", len(m.Data), MaxBlock)
		}
		dst = append(dst, m.Data...)
	case TypeNotFound:
	case TypeHaveList:
		if m.State == HavePartial && (m.Count > MaxHaveChunks || uint64(len(m.Bits)) != (m.Count+7)/8) {
			return nil, malformed("have bitfield of %d bytes for %d chunks", len(m.Bits), m.Count)
		}
		dst = append(dst, m.State)
		if m.State == HavePartial {
			dst = binary.AppendUvarint(dst, m.Count)
			dst = append(dst, m.Bits...)
		}
	case TypeEndpointList:
		return appendURLs(dst, m.URLs)
	case TypePush:
		if !m.CID.Defined() {
			return nil, malformed("push without root")
		}
		b := m.CID.Bytes()
		dst = binary.AppendUvarint(dst, uint64(len(b)))
		dst = append(dst, b...)
		dst = binary.AppendUvarint(dst, m.Budget)
	case TypeRate, TypeRateOK:
		dst = append(dst, m.Policy)
		dst = binary.AppendUvarint(dst, m.Target)
		dst = binary.AppendUvarint(dst, m.MinRate)
	case TypeError:
		text := m.Text
		if len(text) > MaxMessage {
			text = text[:MaxMessage]
		}
		dst = binary.AppendUvarint(dst, m.Code)
		dst = binary.AppendUvarint(dst, uint64(len(text)))
		dst = append(dst, text...)
	default:
		return nil, malformed("unknown type %d", m.Type)
	}
	return dst, nil
}

// Decode parses one frame body (without its length prefix).
func Decode(body []byte) (Message, error) {
	var m Message
	if len(body) > MaxFrame {
		return m, malformed("frame of %d bytes exceeds %d", len(body), MaxFrame)
	}
	if len(body) < 1 {
		return m, malformed("empty frame")
	}
	m.Type = Type(body[0])
	rest, id, err := uvarint(body[1:])
	if err != nil {
		return m, err
	}
	m.ID = id
	return m, decodePayload(&m, rest)
}

func decodePayload(m *Message, rest []byte) error {
	switch m.Type {
	case TypeGet, TypeHave, TypeEndpoints:
		return decodeGet(m, rest)
	case TypeHaveList:
		return decodeHaveList(m, rest)
	case TypeEndpointList:
		return decodeURLs(m, rest)
	case TypePush:
		return decodePush(m, rest)
	case TypeBlock:
		if len(rest) > MaxBlock {
			return malformed("block of %d bytes exceeds %d", len(rest), MaxBlock)
		}
		m.Data = rest
	case TypeNotFound:
		if len(rest) != 0 {
			return malformed("trailing bytes after not-found")
		}
	case TypeRate, TypeRateOK:
		return decodeRate(m, rest, m.Type == TypeRate)
	case TypeError:
		r, code, err := uvarint(rest)
		if err != nil {
			return err
		}
		r, n, err := uvarint(r)
		if err != nil {
			return err
		}
		if n > MaxMessage || n != uint64(len(r)) {
			return malformed("error text length %d does not match frame (%d bytes left, cap %d)", n, len(r), MaxMessage)
		}
		m.Code, m.Text = code, string(r)
	default:
		return malformed("unknown type %d", m.Type)
	}
	return nil
}

func decodeGet(m *Message, rest []byte) error {
	r, err := decodeCID(m, rest)
	if err == nil && len(r) != 0 {
		return malformed("%d bytes after the CID", len(r))
	}
	return err
}

// decodeCID reads a length-prefixed CID into m.CID and returns what
// follows it.
func decodeCID(m *Message, rest []byte) ([]byte, error) {
	r, n, err := uvarint(rest)
	if err != nil {
		return nil, err
	}
	if n == 0 || n > MaxCIDLen || n > uint64(len(r)) {
		return nil, malformed("CID length %d does not fit the frame (%d bytes left, cap %d)", n, len(r), MaxCIDLen)
	}
	c, err := cid.Cast(r[:n])
	if err != nil {
		return nil, malformed("bad CID: %v", err)
	}
	m.CID = c
	return r[n:], nil
}

func decodePush(m *Message, rest []byte) error {
	r, err := decodeCID(m, rest)
	if err != nil {
		return err
	}
	r, m.Budget, err = uvarint(r)
	if err != nil {
		return err
	}
	if len(r) != 0 {
		return malformed("%d bytes after the push budget", len(r))
	}
	return nil
}

// uvarint reads a minimally encoded uvarint.
func uvarint(b []byte) ([]byte, uint64, error) {
	v, n := binary.Uvarint(b)
	if n <= 0 {
		return nil, 0, malformed("bad varint")
	}
	if n != len(binary.AppendUvarint(nil, v)) {
		return nil, 0, malformed("non-minimal varint")
	}
	return b[n:], v, nil
}

// PolicyDefault in a RATE asks the responder for its own settings again:
// a download that asks for nothing in particular must not inherit the
// rates an earlier download on the same connection asked for.
const PolicyDefault = 0

func decodeRate(m *Message, rest []byte, request bool) error {
	if len(rest) < 1 {
		return malformed("rate message without policy")
	}
	m.Policy = rest[0]
	if (m.Policy < 1 || m.Policy > 4) && !(request && m.Policy == PolicyDefault) {
		return malformed("unknown policy %d", m.Policy)
	}
	r, target, err := uvarint(rest[1:])
	if err != nil {
		return err
	}
	r, minRate, err := uvarint(r)
	if err != nil {
		return err
	}
	if len(r) != 0 {
		return malformed("trailing bytes after rate")
	}
	m.Target, m.MinRate = target, minRate
	return nil
}

func decodeHaveList(m *Message, rest []byte) error {
	if len(rest) < 1 {
		return malformed("have list without state")
	}
	m.State = rest[0]
	switch m.State {
	case HaveNone, HaveAll:
		if len(rest) != 1 {
			return malformed("trailing bytes after have state")
		}
		return nil
	case HavePartial:
	default:
		return malformed("unknown have state %d", m.State)
	}
	r, n, err := uvarint(rest[1:])
	if err != nil {
		return err
	}
	if n > MaxHaveChunks || uint64(len(r)) != (n+7)/8 {
		return malformed("have bitfield of %d bytes for %d chunks", len(r), n)
	}
	if n%8 != 0 && len(r) > 0 && r[len(r)-1]>>(n%8) != 0 {
		return malformed("bits set past the last chunk")
	}
	m.Count, m.Bits = n, r
	return nil
}

func appendURLs(dst []byte, urls []string) ([]byte, error) {
	if len(urls) > MaxEndpoints {
		return nil, malformed("%d endpoints exceed %d", len(urls), MaxEndpoints)
	}
	dst = binary.AppendUvarint(dst, uint64(len(urls)))
	for _, u := range urls {
		if len(u) == 0 || len(u) > MaxEndpointLen {
			return nil, malformed("endpoint of %d bytes (1 to %d)", len(u), MaxEndpointLen)
		}
		dst = binary.AppendUvarint(dst, uint64(len(u)))
		dst = append(dst, u...)
	}
	return dst, nil
}

func decodeURLs(m *Message, rest []byte) error {
	r, n, err := uvarint(rest)
	if err != nil {
		return err
	}
	if n > MaxEndpoints {
		return malformed("%d endpoints exceed %d", n, MaxEndpoints)
	}
	m.URLs = make([]string, 0, n)
	for range n {
		var l uint64
		if r, l, err = uvarint(r); err != nil {
			return err
		}
		if l == 0 || l > MaxEndpointLen || l > uint64(len(r)) {
			return malformed("endpoint length %d (1 to %d, %d bytes left)", l, MaxEndpointLen, len(r))
		}
		m.URLs = append(m.URLs, string(r[:l]))
		r = r[l:]
	}
	if len(r) != 0 {
		return malformed("trailing bytes after endpoints")
	}
	return nil
}
