package units

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"90": 90 * time.Second, "1.5": 1500 * time.Millisecond, "72h": 72 * time.Hour,
		"500ms": 500 * time.Millisecond, "1h30m": 90 * time.Minute, "0": 0,
		"3d": 72 * time.Hour, "1d12h": 36 * time.Hour, " 10 ": 10 * time.Second,
		// Positive below the clock's resolution: one tick, never "no timeout".
		"1e-10": time.Nanosecond, "1e-10000": time.Nanosecond, "0.1ns": time.Nanosecond,
		"1e-20d": time.Nanosecond, "0.0": 0, "0e5": 0, "0s": 0, "0d": 0,
	} {
		if got, err := ParseDuration(in); err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "abc", "-1", "-5s", "NaN", "Inf", "1e300", "d", "3dx", "1.5.5", "--1",
		"-0", "-0.0", "-1e-10000", "-0s", "-0d", "-1e-10"} {
		if got, err := ParseDuration(bad); err == nil {
			t.Errorf("ParseDuration(%q) = %v, want an error", bad, got)
		}
	}
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"90", "1.5", "72h", "3d", "1d12h", "-1", "NaN", "1e19", "9223372036s"} {
		f.Add(s)
	}
	for _, s := range []string{"1e-10", "-0", "-1e-10000", "0.1ns"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err == nil && d < 0 {
			t.Errorf("ParseDuration(%q) = %v: negative without an error", s, d)
		}
		if err == nil && strings.HasPrefix(strings.TrimSpace(s), "-") {
			t.Errorf("ParseDuration(%q) = %v: a negative value (or negative zero) accepted", s, d)
		}
		if f, ferr := strconv.ParseFloat(strings.TrimSpace(s), 64); ferr == nil && f > 0 && err == nil && d == 0 {
			t.Errorf("ParseDuration(%q) = 0: a positive duration must not mean none", s)
		}
	})
}
