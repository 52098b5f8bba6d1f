package chunker

import (
	"errors"
	"fmt"
	"math/bits"
)

// Chunk size limits.
const (
	DefaultChunkSize = 1 << 20 // 1 MiB
	MinChunkSize     = 64 << 10
	MaxChunkSize     = 16 << 20
)

// ErrChunkSize reports a chunk size that is not a power of two between
// MinChunkSize and MaxChunkSize (inclusive). It is returned wrapped.
var ErrChunkSize = errors.New("chunker: chunk size must be a power of two between 64 KiB and 16 MiB")

// ValidateChunkSize reports whether n is a usable chunk size: a power of two
// in [MinChunkSize, MaxChunkSize]. The error wraps ErrChunkSize.
func ValidateChunkSize(n int) error {
	if n < MinChunkSize || n > MaxChunkSize || bits.OnesCount(uint(n)) != 1 {
		return fmt.Errorf("%w: got %d", ErrChunkSize, n)
	}
	return nil
}

// ChunkCount is the number of chunks of chunkSize bytes needed for size
// bytes: ceil(size/chunkSize), and 0 for size <= 0. It does not overflow for
// any size. chunkSize must be positive; ChunkCount panics otherwise, as an
// integer division by zero would.
func ChunkCount(size int64, chunkSize int) int64 {
	if chunkSize <= 0 {
		panic(fmt.Sprintf("chunker: ChunkCount with chunk size %d", chunkSize))
	}
	if size <= 0 {
		return 0
	}
	cs := int64(chunkSize)
	n := size / cs
	if size%cs != 0 {
		n++
	}
	return n
}
