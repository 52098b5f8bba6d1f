package store

import (
	"encoding/binary"
	"fmt"
	"math"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/swarm-project/swarm/catalog"
)

// maxDecodedLocations bounds a decoded location list, so that a corrupted
// count cannot allocate without limit. It is above storecore.MaxLocations
// so a future larger cap still decodes.
const maxDecodedLocations = 256

// encodeLocations encodes a location list (docs/spec/store.md):
// uvarint count, then per location: kind byte, uvarint path length, path,
// uvarint offset, uvarint size, uvarint file size, varint mtime.
func encodeLocations(locs []catalog.Location) []byte {
	b := binary.AppendUvarint(nil, uint64(len(locs)))
	for _, l := range locs {
		b = append(b, byte(l.Kind))
		b = binary.AppendUvarint(b, uint64(len(l.Path)))
		b = append(b, l.Path...)
		b = binary.AppendUvarint(b, uint64(l.Offset))
		b = binary.AppendUvarint(b, uint64(l.Size))
		b = binary.AppendUvarint(b, uint64(l.FileSize))
		b = binary.AppendVarint(b, l.ModTime)
	}
	return b
}

func decodeLocations(b []byte) ([]catalog.Location, error) {
	d := decoder{b: b}
	n := d.uvarint(maxDecodedLocations)
	locs := make([]catalog.Location, 0, n)
	for i := uint64(0); i < n && d.err == nil; i++ {
		var l catalog.Location
		l.Kind = catalog.LocationKind(d.byte())
		l.Path = string(d.bytes(math.MaxInt32))
		l.Offset = int64(d.uvarint(math.MaxInt64))
		l.Size = int(d.uvarint(math.MaxInt32))
		l.FileSize = int64(d.uvarint(math.MaxInt64))
		l.ModTime = d.varint()
		locs = append(locs, l)
	}
	if err := d.end(); err != nil {
		return nil, fmt.Errorf("location list: %w", err)
	}
	return locs, nil
}

// encodePin encodes a pin's value (the name is the key): uvarint CID
// length, binary CID, then a byte 0 for a zero Added time or 1 followed by
// varint Unix nanoseconds.
func encodePin(p catalog.Pin) []byte {
	root := p.Root.Bytes()
	b := binary.AppendUvarint(nil, uint64(len(root)))
	b = append(b, root...)
	if p.Added.IsZero() {
		return append(b, 0)
	}
	b = append(b, 1)
	return binary.AppendVarint(b, p.Added.UnixNano())
}

func decodePin(name string, b []byte) (catalog.Pin, error) {
	d := decoder{b: b}
	p := catalog.Pin{Name: name}
	root := d.bytes(math.MaxUint16)
	if d.byte() == 1 {
		p.Added = time.Unix(0, d.varint()).UTC()
	}
	if err := d.end(); err != nil {
		return p, fmt.Errorf("pin %q: %w", name, err)
	}
	c, err := cid.Cast(root)
	if err != nil {
		return p, fmt.Errorf("%w: pin %q: root: %w", ErrCorrupt, name, err)
	}
	p.Root = c
	return p, nil
}

// encodeBan encodes a ban's value (the peer is the key): uvarint reason
// length, reason, varint Unix nanoseconds of Time, then of Until.
func encodeBan(b catalog.Ban) []byte {
	v := binary.AppendUvarint(nil, uint64(len(b.Reason)))
	v = append(v, b.Reason...)
	v = binary.AppendVarint(v, b.Time.UnixNano())
	return binary.AppendVarint(v, b.Until.UnixNano())
}

func decodeBan(peer string, v []byte) (catalog.Ban, error) {
	d := decoder{b: v}
	b := catalog.Ban{Peer: peer}
	b.Reason = string(d.bytes(math.MaxUint16))
	b.Time = time.Unix(0, d.varint()).UTC()
	b.Until = time.Unix(0, d.varint()).UTC()
	if err := d.end(); err != nil {
		return b, fmt.Errorf("ban of %q: %w", peer, err)
	}
	return b, nil
}
