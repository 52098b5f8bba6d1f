package node_test

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/swarm-project/swarm/node/nodetest"
)

// A fresh stream must carry a whole chunk reply before its reader reads a
// byte: with yamux's default 256 KiB initial window a 1 MiB reply waits
// for window updates, one round trip each, which capped long paths.
func TestFreshStreamWindowHoldsAChunk(t *testing.T) {
	for _, tr := range []string{"/swarmrc/", "/tcp/"} {
		t.Run(strings.Trim(tr, "/"), func(t *testing.T) { testFreshStreamWindow(t, tr) })
	}
}

func testFreshStreamWindow(t *testing.T, transport string) {
	a, b := nodetest.New(t), nodetest.New(t)
	const proto = "/swarm-test/window/1.0.0"
	const size = 1<<20 + 64<<10
	wrote := make(chan error, 1)
	a.Host().SetStreamHandler(proto, func(s network.Stream) {
		defer s.Close()
		_ = s.SetWriteDeadline(time.Now().Add(5 * time.Second))
		_, err := s.Write(make([]byte, size))
		wrote <- err
	})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ai, err := peer.AddrInfoFromString(nodetest.AddrOf(t, a, transport))
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Host().Connect(ctx, *ai); err != nil {
		t.Fatal(err)
	}
	s, err := b.Host().NewStream(ctx, a.Host().ID(), proto)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Reset()
	if _, err := s.Write([]byte{0}); err != nil { // opens the stream on the far side
		t.Fatal(err)
	}
	// Nothing is read until the writer is done: it must not need window updates.
	select {
	case err := <-wrote:
		if err != nil {
			t.Fatalf("writing %d bytes to an unread fresh stream: %v", size, err)
		}
	case <-ctx.Done():
		t.Fatal("writer blocked: the fresh stream's window is smaller than a chunk")
	}
	n, err := io.Copy(io.Discard, s)
	if err != nil || n != size {
		t.Fatalf("read %d bytes, err %v", n, err)
	}
}
