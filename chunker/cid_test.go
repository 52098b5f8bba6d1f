package chunker

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"

	cid "github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"
)

// Known BLAKE3-256 digests from the BLAKE3 reference test vectors.
var blake3Vectors = []struct{ in, digest string }{
	{"", "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262"},
	{"abc", "6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85"},
}

func TestChunkCIDKnownAnswers(t *testing.T) {
	for _, v := range blake3Vectors {
		c := ChunkCID([]byte(v.in))
		want := "01551e20" + v.digest
		if got := hex.EncodeToString(c.Bytes()); got != want {
			t.Errorf("ChunkCID(%q) = %s, want %s", v.in, got, want)
		}
		if c.Type() != cid.Raw || c.Version() != 1 {
			t.Errorf("ChunkCID(%q): version %d codec %#x", v.in, c.Version(), c.Type())
		}
		dec, err := mh.Decode(c.Hash())
		if err != nil || dec.Code != mh.BLAKE3 || dec.Length != 32 {
			t.Errorf("ChunkCID(%q): multihash %+v, %v", v.in, dec, err)
		}
		if err := Verify(c, []byte(v.in)); err != nil {
			t.Errorf("Verify(ChunkCID(%q)): %v", v.in, err)
		}
	}
}

func TestBlockCIDCodec(t *testing.T) {
	c := BlockCID(0x300001, []byte("abc"))
	if c.Type() != 0x300001 {
		t.Fatalf("codec %#x", c.Type())
	}
	if string(c.Hash()) != string(ChunkCID([]byte("abc")).Hash()) {
		t.Fatal("BlockCID and ChunkCID hash differently")
	}
	var d [DigestSize]byte
	copy(d[:], c.Hash()[2:])
	if !CIDFromDigest(0x300001, &d).Equals(c) {
		t.Fatal("CIDFromDigest does not rebuild BlockCID")
	}
}

func sha256CID(t *testing.T, version int, data []byte) cid.Cid {
	t.Helper()
	sum, err := mh.Sum(data, mh.SHA2_256, -1)
	if err != nil {
		t.Fatal(err)
	}
	if version == 0 {
		return cid.NewCidV0(sum)
	}
	return cid.NewCidV1(cid.Raw, sum)
}

func TestVerify(t *testing.T) {
	data := []byte("hello, swarm")
	other := []byte("hello, swarn")
	sum := sha256.Sum256(data)
	truncated, _ := mh.Encode(sum[:20], mh.SHA2_256)
	sha512mh, _ := mh.Sum(data, mh.SHA2_512, -1)
	tests := []struct {
		name string
		c    cid.Cid
		data []byte
		want error
	}{
		{"blake3 ok", ChunkCID(data), data, nil},
		{"blake3 other codec ok", BlockCID(0x71, data), data, nil},
		{"blake3 mismatch", ChunkCID(data), other, ErrHashMismatch},
		{"blake3 empty data mismatch", ChunkCID(data), nil, ErrHashMismatch},
		{"sha256 v1 ok", sha256CID(t, 1, data), data, nil},
		{"sha256 v0 ok", sha256CID(t, 0, data), data, nil},
		{"sha256 mismatch", sha256CID(t, 1, data), other, ErrHashMismatch},
		{"sha512 unsupported", cid.NewCidV1(cid.Raw, sha512mh), data, ErrUnsupportedCID},
		{"truncated digest unsupported", cid.NewCidV1(cid.Raw, truncated), data, ErrUnsupportedCID},
		{"undefined", cid.Undef, data, ErrUnsupportedCID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Verify(tt.c, tt.data)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("Verify = %v, want %v", err, tt.want)
			}
			if err != nil && tt.c.Defined() && !containsString(err.Error(), tt.c.String()) {
				t.Errorf("error %q does not name the CID %s", err, tt.c)
			}
		})
	}
}

func containsString(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

func TestVerifyAndChunkCIDAllocations(t *testing.T) {
	data := make([]byte, 4096)
	c := ChunkCID(data)
	if n := testing.AllocsPerRun(100, func() { _ = Verify(c, data) }); n != 0 {
		t.Errorf("Verify allocates %.0f times, want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() { _ = ChunkCID(data) }); n > 1 {
		t.Errorf("ChunkCID allocates %.0f times, want at most 1 (the CID string)", n)
	}
}
