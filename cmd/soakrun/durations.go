package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// parseDuration reads a duration as a user of a soak tool writes one: Go
// syntax ("72h", "1h30m", "500ms"), plain seconds ("90", "1.5"), or days
// in front of either ("3d", "1d12h"). Negative values are errors.
func parseDuration(s string) (time.Duration, error) {
	in := strings.TrimSpace(s)
	if in == "" {
		return 0, fmt.Errorf("empty duration")
	}
	var days time.Duration
	if i := strings.IndexByte(in, 'd'); i > 0 {
		n, err := strconv.ParseFloat(in[:i], 64)
		if err != nil || n < 0 || n > 1e5 {
			return 0, fmt.Errorf("invalid duration %q", s)
		}
		days = time.Duration(n * float64(24*time.Hour))
		if in = in[i+1:]; in == "" {
			return days, nil
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
	return days + d, nil
}
