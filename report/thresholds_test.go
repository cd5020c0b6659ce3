package report

import (
	"math"
	"testing"
)

func TestParseThresholds(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want map[Metric]float64
	}{
		{"10", map[Metric]float64{TreeMemory: 10, HostMemory: 10, Handles: 10}},
		{"25MB/h", map[Metric]float64{TreeMemory: 25}},
		{"memory=5, handles=off,threads=1.5", map[Metric]float64{TreeMemory: 5, Handles: math.Inf(1), Threads: 1.5, Zombies: 2}},
		{"DISK=0.5", map[Metric]float64{DiskUsed: 0.5}},
		{"memory=20", map[Metric]float64{TreeCPU: DefaultCPUThreshold}},
		{"cpu=5", map[Metric]float64{TreeCPU: 5, TreeMemory: 10}},
		{"cpu=off", map[Metric]float64{TreeCPU: math.Inf(1)}},
	} {
		got, err := ParseThresholds(tc.in)
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		for m, v := range tc.want {
			if got[m] != v {
				t.Errorf("%q: %s = %v, want %v", tc.in, m, got[m], v)
			}
		}
	}
	for _, bad := range []string{"", "fast", "-1", "0", "NaN", "inf", "memory", "memory=", "heap=10", "memory=10,,"} {
		if _, err := ParseThresholds(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func FuzzParseThresholds(f *testing.F) {
	for _, s := range []string{"10", "memory=5,handles=off", "threads=1e3", "x=y=z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		th, err := ParseThresholds(s)
		if err != nil {
			return
		}
		for m, v := range th {
			if !(v > 0) {
				t.Fatalf("%q: %s = %v", s, m, v)
			}
		}
	})
}
