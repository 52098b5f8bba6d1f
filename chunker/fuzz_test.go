package chunker

import (
	"testing"

	cid "github.com/ipfs/go-cid"
)

// FuzzVerify checks that Verify never panics on any CID and accepts
// exactly the data ChunkCID names.
func FuzzVerify(f *testing.F) {
	f.Add(ChunkCID([]byte("abc")).Bytes(), []byte("abc"))
	f.Add(BlockCID(0x300001, nil).Bytes(), []byte{})
	f.Fuzz(func(t *testing.T, cidBytes, data []byte) {
		if c, err := cid.Cast(cidBytes); err == nil {
			_ = Verify(c, data)
		}
		if err := Verify(ChunkCID(data), data); err != nil {
			t.Fatal(err)
		}
	})
}
