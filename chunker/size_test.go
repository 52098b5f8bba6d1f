package chunker

import (
	"errors"
	"math"
	"testing"
)

func TestValidateChunkSize(t *testing.T) {
	ok := []int{MinChunkSize, 128 << 10, DefaultChunkSize, MaxChunkSize}
	bad := []int{0, -1, 1, 4096, MinChunkSize - 1, MinChunkSize + 1, 3 << 20, MaxChunkSize + 1, MaxChunkSize * 2, math.MaxInt}
	for _, n := range ok {
		if err := ValidateChunkSize(n); err != nil {
			t.Errorf("ValidateChunkSize(%d) = %v", n, err)
		}
	}
	for _, n := range bad {
		if err := ValidateChunkSize(n); !errors.Is(err, ErrChunkSize) {
			t.Errorf("ValidateChunkSize(%d) = %v, want ErrChunkSize", n, err)
		}
	}
}

func TestChunkCount(t *testing.T) {
	const cs = MinChunkSize
	tests := []struct {
		size int64
		want int64
	}{
		{0, 0}, {-5, 0}, {1, 1}, {cs - 1, 1}, {cs, 1}, {cs + 1, 2}, {10 * cs, 10},
		{math.MaxInt64, math.MaxInt64/cs + 1},
	}
	for _, tt := range tests {
		if got := ChunkCount(tt.size, cs); got != tt.want {
			t.Errorf("ChunkCount(%d) = %d, want %d", tt.size, got, tt.want)
		}
	}
}

func TestChunkCountPanicsOnBadChunkSize(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("no panic")
		}
	}()
	ChunkCount(10, 0)
}
