package units

import "testing"

func TestParseSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want uint64
	}{
		{"1048576", 1 << 20}, {"512M", 512 << 20}, {"512mb", 512 << 20}, {"4G", 4 << 30}, {"1.5GiB", 3 << 29},
		{" 2 g ", 2 << 30}, {"64k", 64 << 10}, {"1T", 1 << 40}, {"100B", 100},
	} {
		if got, err := ParseSize(tc.in); err != nil || got != tc.want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "0", "-1G", "G", "lots", "NaN", "Inf", "0.5", "1e30T", "5 GB GB"} {
		if got, err := ParseSize(bad); err == nil {
			t.Errorf("ParseSize(%q) = %d, want an error", bad, got)
		}
	}
}
