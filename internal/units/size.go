package units

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// sizeUnits are the suffixes a SIZE takes, in powers of 1024 as every
// soakrun figure counts (its MB are 2^20 bytes), case-insensitive.
var sizeUnits = []struct {
	suffixes []string
	bytes    float64
}{
	{[]string{"tib", "tb", "t"}, 1 << 40},
	{[]string{"gib", "gb", "g"}, 1 << 30},
	{[]string{"mib", "mb", "m"}, 1 << 20},
	{[]string{"kib", "kb", "k"}, 1 << 10},
	{[]string{"b"}, 1},
}

// ParseSize reads a size such as 512M, 4G, 1.5GiB or 1048576 (bytes).
func ParseSize(s string) (uint64, error) {
	num, scale := strings.ToLower(strings.TrimSpace(s)), 1.0
units:
	for _, u := range sizeUnits {
		for _, suffix := range u.suffixes {
			if strings.HasSuffix(num, suffix) {
				num, scale = strings.TrimSpace(strings.TrimSuffix(num, suffix)), u.bytes
				break units
			}
		}
	}
	v, err := strconv.ParseFloat(num, 64)
	bytes := v * scale
	if err != nil || math.IsNaN(v) || !(bytes >= 1) || bytes >= math.MaxUint64 {
		return 0, fmt.Errorf("%q is not a size (512M, 4G, 1.5GiB, or bytes)", s)
	}
	return uint64(bytes), nil
}
