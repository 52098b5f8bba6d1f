package cli

import (
	"fmt"
	"strconv"
	"strings"
)

// sizeUnits are the suffixes parseSize knows, longest first. K, M and G
// are binary, like the KiB forms: memory is counted in those.
var sizeUnits = []struct {
	suffix string
	mult   float64
}{
	{"KIB", 1 << 10}, {"MIB", 1 << 20}, {"GIB", 1 << 30},
	{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9},
	{"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"B", 1},
}

// parseSize parses a byte count such as 256MiB, 1G, 500MB or 1048576.
func parseSize(s string) (int64, error) {
	num, mult := strings.TrimSpace(s), 1.0
	up := strings.ToUpper(num)
	for _, u := range sizeUnits {
		if strings.HasSuffix(up, u.suffix) {
			num, mult = strings.TrimSpace(num[:len(num)-len(u.suffix)]), u.mult
			break
		}
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || v <= 0 || v*mult >= 1<<62 {
		return 0, fmt.Errorf("bad size %q: want a positive number of bytes like 256MiB or 1G", s)
	}
	return int64(v * mult), nil
}
