//go:build !unix

package p2p_test

import "time"

// processCPU is not measured here: CPU figures of the benchmarks are
// meaningless on this system.
func processCPU() time.Duration { return 0 }
