package main

import (
	"bufio"
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/swarm-project/swarm/chunker"
	"github.com/swarm-project/swarm/chunker/manifest"
	"github.com/swarm-project/swarm/node/nodetest"
	"github.com/swarm-project/swarm/node/wire"
)

// TestLiarCorruptsChunksOnly runs the liar in front of an honest peer and
// asks it for a chunk and a manifest block over the real protocol.
func TestLiarCorruptsChunksOnly(t *testing.T) {
	chunk := bytes.Repeat([]byte("chunk data "), 1000)
	mblock := []byte("manifest block bytes")
	chunkID, manifestID := chunker.ChunkCID(chunk), chunker.BlockCID(manifest.Codec, mblock)
	honest := nodetest.NewPeer(t, map[cid.Cid][]byte{chunkID: chunk, manifestID: mblock})

	l, err := newLiar("/ip4/127.0.0.1/tcp/0", 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.h.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := l.connect(ctx, honest.Addr()); err != nil {
		t.Fatal(err)
	}

	client, err := libp2p.New(libp2p.NoListenAddrs, libp2p.DisableRelay())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	if err := client.Connect(ctx, peer.AddrInfo{ID: l.h.ID(), Addrs: l.h.Addrs()}); err != nil {
		t.Fatal(err)
	}
	s, err := client.NewStream(ctx, l.h.ID(), wire.ProtocolID)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r := bufio.NewReader(s)

	got := exchange(t, s, r, wire.Message{Type: wire.TypeGet, ID: 1, CID: chunkID})
	if got.Type != wire.TypeBlock || len(got.Data) != len(chunk) || bytes.Equal(got.Data, chunk) {
		t.Errorf("chunk: type %d, %d bytes, corrupted %v", got.Type, len(got.Data), !bytes.Equal(got.Data, chunk))
	}
	if chunker.ChunkCID(got.Data).Equals(chunkID) {
		t.Error("the corrupt chunk still matches its CID")
	}
	got = exchange(t, s, r, wire.Message{Type: wire.TypeGet, ID: 2, CID: manifestID})
	if got.Type != wire.TypeBlock || !bytes.Equal(got.Data, mblock) {
		t.Errorf("manifest block altered: type %d %q", got.Type, got.Data)
	}
	got = exchange(t, s, r, wire.Message{Type: wire.TypeRate, ID: 3, Policy: 2, Target: 1000})
	if got.Type != wire.TypeRateOK || got.Target != 1000 {
		t.Errorf("rate reply %+v", got)
	}
	if honest.Served.Load() != 2 {
		t.Errorf("upstream served %d blocks, want 2", honest.Served.Load())
	}
}

func exchange(t *testing.T, s network.Stream, r *bufio.Reader, req wire.Message) wire.Message {
	t.Helper()
	if err := writeMessage(s, &req); err != nil {
		t.Fatal(err)
	}
	body, err := wire.ReadFrame(r, nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := wire.Decode(body)
	if err != nil {
		t.Fatal(err)
	}
	if m.ID != req.ID {
		t.Fatalf("reply ID %d, want %d", m.ID, req.ID)
	}
	return m
}
