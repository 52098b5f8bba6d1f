package manifest_test

import (
	"context"
	"encoding/hex"
	"fmt"

	cid "github.com/ipfs/go-cid"
	"github.com/swarm-project/swarm/chunker"
	"github.com/swarm-project/swarm/chunker/manifest"
)

// Example encodes the worked example of docs/spec/manifest-v1.md and
// decodes it back.
func Example() {
	readme := []byte("hello, swarm\n")
	script := []byte("#!/bin/sh\necho hi\n")
	entries := []manifest.Entry{
		{Path: "empty", Kind: manifest.KindFile, Mode: 0o600},
		{Path: "bin/run.sh", Kind: manifest.KindFile, Mode: 0o755, Size: int64(len(script)), Chunks: []cid.Cid{chunker.ChunkCID(script)}},
		{Path: "bin", Kind: manifest.KindDir, Mode: 0o755},
		{Path: "README", Kind: manifest.KindFile, Mode: 0o644, Size: int64(len(readme)), Chunks: []cid.Cid{chunker.ChunkCID(readme)}},
	}
	manifest.Sort(entries)
	m := &manifest.Manifest{Name: "demo", Root: manifest.KindDir, ChunkSize: chunker.DefaultChunkSize, Entries: entries}

	root, blocks, err := manifest.Encode(m)
	if err != nil {
		panic(err)
	}
	fmt.Println(root)
	fmt.Print(hex.Dump(blocks[0].Data))

	get := func(_ context.Context, c cid.Cid) ([]byte, error) { return blocks[0].Data, nil }
	back, err := manifest.Decode(context.Background(), root, get)
	if err != nil {
		panic(err)
	}
	for _, e := range back.Entries {
		fmt.Printf("%-10s %s %o %d\n", e.Path, e.Kind, e.Mode, e.Size)
	}
	// Output:
	// bagaybqabdyqg44nxg5zfwhcmj7iubaxjkks2qb6wy3koravudb2mou632ieneua
	// 00000000  53 57 4d 46 01 01 04 64  65 6d 6f 02 80 80 40 04  |SWMF...demo...@.|
	// 00000010  1f 02 70 00 00 06 52 45  41 44 4d 45 01 a4 03 0d  |..p...README....|
	// 00000020  1e 20 59 ab 4d b5 75 60  a8 15 40 70 99 7a 77 55  |. Y.M.u`..@p.zwU|
	// 00000030  1f 0b 71 04 82 82 6f ed  51 9f 23 c9 23 06 4b e9  |..q...o.Q.#.#.K.|
	// 00000040  76 de 00 03 62 69 6e 02  ed 03 03 07 2f 72 75 6e  |v...bin...../run|
	// 00000050  2e 73 68 01 ed 03 12 1e  20 4b 69 4f a6 46 81 40  |.sh..... KiO.F.@|
	// 00000060  83 6e 2f 43 62 5a ca 11  50 ec 72 03 2d c2 3a 12  |.n/CbZ..P.r.-.:.|
	// 00000070  e1 34 16 ca 02 6c 64 7e  f3 00 05 65 6d 70 74 79  |.4...ld~...empty|
	// 00000080  01 80 03 00                                       |....|
	// README     file 644 13
	// bin        dir 755 0
	// bin/run.sh file 755 18
	// empty      file 600 0
}
