package store

import (
	"errors"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/swarm-project/swarm/catalog"
	"github.com/swarm-project/swarm/chunker"
)

var sampleLocations = []catalog.Location{
	{Kind: catalog.InPlace, Path: "/data/a b/é", Offset: 1 << 40, Size: 1 << 20, FileSize: 1<<40 + 1<<20, ModTime: -5},
	{Kind: catalog.Blob, Size: 7},
	{Kind: catalog.InPlace, Path: "/x", ModTime: math.MaxInt64},
}

func TestLocationsRoundTrip(t *testing.T) {
	for n := range len(sampleLocations) + 1 {
		in := sampleLocations[:n]
		out, err := decodeLocations(encodeLocations(in))
		if err != nil || !slices.Equal(in, out) {
			t.Fatalf("round trip of %v = %v, %v", in, out, err)
		}
	}
}

func TestLocationsTruncated(t *testing.T) {
	b := encodeLocations(sampleLocations)
	for i := range len(b) {
		if _, err := decodeLocations(b[:i]); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("decoding %d of %d bytes = %v, want ErrCorrupt", i, len(b), err)
		}
	}
	if _, err := decodeLocations(append(b, 0)); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("trailing byte accepted: %v", err)
	}
}

func TestPinRoundTrip(t *testing.T) {
	root := chunker.ChunkCID([]byte("root"))
	for _, added := range []time.Time{{}, time.Unix(0, 1).UTC(), time.Unix(1700000000, 123).UTC()} {
		in := catalog.Pin{Name: "n", Root: root, Added: added}
		out, err := decodePin("n", encodePin(in))
		if err != nil || out.Name != "n" || !out.Root.Equals(root) || !out.Added.Equal(added) || out.Added.IsZero() != added.IsZero() {
			t.Fatalf("round trip of %+v = %+v, %v", in, out, err)
		}
	}
	b := encodePin(catalog.Pin{Name: "n", Root: root, Added: time.Now()})
	for i := range len(b) {
		if _, err := decodePin("n", b[:i]); err == nil {
			t.Fatalf("decoding %d of %d bytes succeeded", i, len(b))
		}
	}
}

// FuzzDecodeLocations: decoding never panics, and whatever decodes
// re-encodes to the same bytes.
func FuzzDecodeLocations(f *testing.F) {
	for n := range len(sampleLocations) + 1 {
		f.Add(encodeLocations(sampleLocations[:n]))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		locs, err := decodeLocations(b)
		if err != nil {
			return
		}
		if again := encodeLocations(locs); string(again) != string(b) {
			// Non-minimal varints decode too; the re-encoding must then
			// decode to the same list.
			if locs2, err := decodeLocations(again); err != nil || !slices.Equal(locs, locs2) {
				t.Fatalf("re-encoding changed the list: %v vs %v (%v)", locs, locs2, err)
			}
		}
	})
}

func FuzzDecodePin(f *testing.F) {
	f.Add(encodePin(catalog.Pin{Root: chunker.ChunkCID(nil), Added: time.Unix(5, 5)}))
	f.Add(encodePin(catalog.Pin{Root: chunker.ChunkCID(nil)}))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := decodePin("n", b)
		if err != nil {
			return
		}
		if _, err := decodePin("n", encodePin(p)); err != nil {
			t.Fatalf("re-encoded pin does not decode: %v", err)
		}
	})
}

func TestBanRoundTrip(t *testing.T) {
	in := catalog.Ban{Peer: "12D3KooWx", Reason: "sent corrupt data: é", Time: time.Unix(1700000000, 7).UTC(), Until: time.Unix(1700086400, 7).UTC()}
	out, err := decodeBan(in.Peer, encodeBan(in))
	if err != nil || out != in {
		t.Fatalf("round trip of %+v = %+v, %v", in, out, err)
	}
	b := encodeBan(in)
	for i := range len(b) {
		if _, err := decodeBan(in.Peer, b[:i]); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("decoding %d of %d bytes = %v, want ErrCorrupt", i, len(b), err)
		}
	}
	if _, err := decodeBan(in.Peer, append(b, 0)); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("trailing byte accepted: %v", err)
	}
}

func FuzzDecodeBan(f *testing.F) {
	f.Add(encodeBan(catalog.Ban{Reason: "r", Time: time.Unix(5, 5), Until: time.Unix(6, 6)}))
	f.Fuzz(func(t *testing.T, b []byte) {
		ban, err := decodeBan("p", b)
		if err != nil {
			return
		}
		if again, err := decodeBan("p", encodeBan(ban)); err != nil || again != ban {
			t.Fatalf("re-encoded ban = %+v, %v; want %+v", again, err, ban)
		}
	})
}
