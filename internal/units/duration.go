package units

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// ParseDuration reads a duration as a user of a soak tool writes one: Go
// syntax ("72h", "1h30m", "500ms"), plain seconds ("90", "1.5"), or days
// in front of either ("3d", "1d12h"). Every negative value is an error,
// negative zero ("-0", "-1e-10000") too. A positive value below the
// clock's resolution ("1e-10", "0.1ns", "1e-10000") rounds up to 1 ns: it
// asked for a timeout, and 0 would mean none.
func ParseDuration(s string) (time.Duration, error) {
	in := strings.TrimSpace(s)
	if in == "" {
		return 0, fmt.Errorf("empty duration")
	}
	if strings.HasPrefix(in, "-") {
		return 0, fmt.Errorf("negative duration %q", s)
	}
	positive := false
	var days time.Duration
	if i := strings.IndexByte(in, 'd'); i > 0 {
		n, err := strconv.ParseFloat(in[:i], 64)
		if err != nil || n < 0 || n > 1e5 {
			return 0, fmt.Errorf("invalid duration %q", s)
		}
		days, positive = time.Duration(n*float64(24*time.Hour)), nonzero(in[:i])
		if in = in[i+1:]; in == "" {
			return atLeastOneTick(days, positive), nil
		}
	}
	var d time.Duration
	if secs, err := strconv.ParseFloat(in, 64); err == nil {
		if math.IsNaN(secs) || math.IsInf(secs, 0) || secs < 0 || secs > math.MaxInt64/1e9 {
			return 0, fmt.Errorf("invalid duration %q", s)
		}
		d = time.Duration(secs * float64(time.Second))
	} else {
		d, err = time.ParseDuration(in)
		if err != nil {
			return 0, fmt.Errorf("invalid duration %q (use 90, 1.5, 500ms, 72h or 3d)", s)
		}
	}
	if d < 0 || days+d < 0 {
		return 0, fmt.Errorf("negative duration %q", s)
	}
	return atLeastOneTick(days+d, positive || nonzero(in)), nil
}

// nonzero reports whether a number as written is not zero: a digit other
// than 0 before any exponent.
func nonzero(num string) bool {
	if i := strings.IndexAny(num, "eE"); i >= 0 && !strings.ContainsAny(num, "hmsuµn") {
		num = num[:i]
	}
	return strings.ContainsAny(num, "123456789")
}

func atLeastOneTick(d time.Duration, positive bool) time.Duration {
	if d == 0 && positive {
		return time.Nanosecond
	}
	return d
}
