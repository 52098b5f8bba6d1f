package manifest

import (
	"context"
	"fmt"

	cid "github.com/ipfs/go-cid"
	"github.com/swarm-project/swarm/chunker"
)

// fetcher gets blocks through the caller's getter and checks each one
// against its CID before anything parses it.
type fetcher struct {
	ctx context.Context
	get func(ctx context.Context, c cid.Cid) ([]byte, error)
	lay layout
}

func (f *fetcher) fetch(c cid.Cid) ([]byte, error) {
	if err := f.ctx.Err(); err != nil {
		return nil, err
	}
	data, err := f.get(f.ctx, c)
	if err != nil {
		return nil, fmt.Errorf("manifest: fetching block %s: %w", c, err)
	}
	if len(data) > f.lay.blockSize {
		return nil, invalid("block " + c.String() + " is larger than " + itoa(uint64(f.lay.blockSize)) + " bytes")
	}
	if err := chunker.Verify(c, data); err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	return data, nil
}

// blockCID names a manifest block.
func blockCID(data []byte) cid.Cid { return chunker.BlockCID(Codec, data) }

// childCID names the block whose BLAKE3 digest is d (a 32-byte slice).
func childCID(d []byte) cid.Cid {
	var digest [digestLen]byte
	copy(digest[:], d)
	return chunker.CIDFromDigest(Codec, &digest)
}

// digestOf returns the digest of a CID made by blockCID.
func digestOf(c cid.Cid) string {
	s := c.KeyString()
	return s[len(s)-digestLen:]
}

// parseSub checks the header of an index or leaf block and that its body is
// exactly bodyLen bytes, and returns the body.
func parseSub(data []byte, typ byte, bodyLen int64) ([]byte, error) {
	switch {
	case len(data) < headerLen || string(data[:len(magic)]) != magic:
		return nil, invalid("sub-block lacks the manifest magic")
	case data[len(magic)] != Version:
		return nil, invalid("sub-block of version " + itoa(uint64(data[len(magic)])))
	case data[len(magic)+1] != typ:
		return nil, invalid("sub-block of type " + itoa(uint64(data[len(magic)+1])) + ", want " + itoa(uint64(typ)))
	case int64(len(data)-headerLen) != bodyLen:
		return nil, invalid("sub-block body of " + itoa(uint64(len(data)-headerLen)) + " bytes, want " + itoa(uint64(bodyLen)))
	}
	return data[headerLen:], nil
}
