package main

import (
	"math"
	"testing"

	"github.com/soakrun/soakrun/report"
)

func TestParseThresholds(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want map[report.Metric]float64
	}{
		{"10", map[report.Metric]float64{report.TreeMemory: 10, report.HostMemory: 10, report.Handles: 10}},
		{"25MB/h", map[report.Metric]float64{report.TreeMemory: 25}},
		{"memory=5, handles=off,threads=1.5", map[report.Metric]float64{report.TreeMemory: 5, report.Handles: math.Inf(1), report.Threads: 1.5, report.Zombies: 2}},
		{"DISK=0.5", map[report.Metric]float64{report.DiskUsed: 0.5}},
	} {
		got, err := parseThresholds(tc.in)
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
		if _, err := parseThresholds(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func FuzzParseThresholds(f *testing.F) {
	for _, s := range []string{"10", "memory=5,handles=off", "threads=1e3", "x=y=z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		th, err := parseThresholds(s)
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
