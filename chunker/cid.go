package chunker

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"

	cid "github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"
	"github.com/zeebo/blake3"
)

// RawCodec is the multicodec of chunk CIDs (raw bytes).
const RawCodec uint64 = cid.Raw

// DigestSize is the length of the BLAKE3-256 and sha2-256 digests we name
// and verify.
const DigestSize = 32

var (
	// ErrHashMismatch reports bytes that do not hash to the CID they were
	// fetched for. It is returned wrapped; the message names the CID.
	ErrHashMismatch = errors.New("chunker: data does not match CID")
	// ErrUnsupportedCID reports a CID whose multihash Verify cannot
	// recompute (only 32-byte BLAKE3 and sha2-256 digests are supported).
	ErrUnsupportedCID = errors.New("chunker: unsupported CID")
)

// ChunkCID names data: CIDv1, raw codec, BLAKE3-256 multihash.
func ChunkCID(data []byte) cid.Cid {
	return BlockCID(RawCodec, data)
}

// BlockCID names data like ChunkCID but under another codec (the manifest
// uses its own codec for manifest blocks). It allocates only the CID itself.
func BlockCID(codec uint64, data []byte) cid.Cid {
	sum := blake3.Sum256(data)
	return cidFromDigest(codec, mh.BLAKE3, &sum)
}

// CIDFromDigest builds the CIDv1 with the given codec and a BLAKE3-256
// multihash holding digest. It is how a decoder that stores bare digests
// turns them back into names.
func CIDFromDigest(codec uint64, digest *[DigestSize]byte) cid.Cid {
	return cidFromDigest(codec, mh.BLAKE3, digest)
}

// cidFromDigest builds a CIDv1; hashCode must be a one-byte multihash code.
func cidFromDigest(codec, hashCode uint64, digest *[DigestSize]byte) cid.Cid {
	var multihash [2 + DigestSize]byte // hash code, length, digest
	multihash[0], multihash[1] = byte(hashCode), DigestSize
	copy(multihash[2:], digest[:])
	return cid.NewCidV1(codec, multihash[:])
}

// Verify recomputes the multihash named in c over data and compares it with
// the digest in c. It supports CIDv1 (any codec) and CIDv0 whose multihash
// is BLAKE3 or sha2-256 with a 32-byte digest; anything else yields an error
// wrapping ErrUnsupportedCID. A mismatch yields an error wrapping
// ErrHashMismatch. Verify does not allocate on success.
func Verify(c cid.Cid, data []byte) error {
	code, digest, ok := splitCID(c.KeyString())
	if !ok || len(digest) != DigestSize {
		return fmt.Errorf("%w: %s", ErrUnsupportedCID, c)
	}
	var sum [DigestSize]byte
	switch code {
	case mh.BLAKE3:
		sum = blake3.Sum256(data)
	case mh.SHA2_256:
		sum = sha256.Sum256(data)
	default:
		return fmt.Errorf("%w: %s", ErrUnsupportedCID, c)
	}
	if string(sum[:]) != digest {
		return fmt.Errorf("%w: %s", ErrHashMismatch, c)
	}
	return nil
}

// splitCID returns the multihash code and digest of a binary CID given as a
// string (cid.Cid.KeyString), without allocating.
func splitCID(s string) (code uint64, digest string, ok bool) {
	if len(s) == 2+DigestSize && s[0] == mh.SHA2_256 && s[1] == DigestSize {
		return mh.SHA2_256, s[2:], true // CIDv0: a bare sha2-256 multihash
	}
	var fields [4]uint64 // version, codec, hash code, digest length
	for i := range fields {
		v, n := stringUvarint(s)
		if n <= 0 {
			return 0, "", false
		}
		fields[i], s = v, s[n:]
	}
	if fields[0] != 1 || fields[3] != uint64(len(s)) {
		return 0, "", false
	}
	return fields[2], s, true
}

// stringUvarint decodes a uvarint from the start of s; n <= 0 on error.
func stringUvarint(s string) (v uint64, n int) {
	var shift uint
	for i := 0; i < len(s) && i < binary.MaxVarintLen64; i++ {
		b := s[i]
		if b < 0x80 {
			if i == binary.MaxVarintLen64-1 && b > 1 {
				return 0, -1
			}
			return v | uint64(b)<<shift, i + 1
		}
		v |= uint64(b&0x7f) << shift
		shift += 7
	}
	return 0, 0
}
