// Package words prints the numbers in soakrun's sentences, the same way in
// the verdict's reasons and in a comparison's.
package words

import (
	"fmt"
	"math"
	"strconv"
)

// Number prints v with about three significant digits and no exponent for
// the values people see in practice.
func Number(v float64) string {
	switch a := math.Abs(v); {
	case a >= 100:
		return fmt.Sprintf("%.0f", v)
	case a >= 1 || a == 0:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.2g", v)
	}
}

// Distinct prints a and b as Number does, with more decimals when they
// differ but Number prints them alike (up to six), so that a sentence that
// compares them compares the numbers it shows.
func Distinct(a, b float64) (string, string) {
	sa, sb := Number(a), Number(b)
	if a == b || sa != sb {
		return sa, sb
	}
	for d := 1; d <= 6; d++ {
		sa, sb = strconv.FormatFloat(a, 'f', d, 64), strconv.FormatFloat(b, 'f', d, 64)
		if sa != sb {
			break
		}
	}
	return sa, sb
}

// P prints a p-value: "p<0.001", or to three decimals.
func P(p float64) string {
	if p < 0.001 {
		return "p<0.001"
	}
	return fmt.Sprintf("p=%.3f", p)
}
