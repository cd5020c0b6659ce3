package main

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
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
		{"memory=20", map[report.Metric]float64{report.TreeCPU: report.DefaultCPUThreshold}},
		{"cpu=5", map[report.Metric]float64{report.TreeCPU: 5, report.TreeMemory: 10}},
		{"cpu=off", map[report.Metric]float64{report.TreeCPU: math.Inf(1)}},
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

// A tree whose CPU creeps fails analyze with the leak exit code, named as
// a degradation; with cpu=off it passes.
func TestAnalyzeCPUDegradationExitCode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cpu.jsonl")
	var b strings.Builder
	for i := range 720 { // two hours every 10 s, 10% rising 15 points an hour
		fmt.Fprintf(&b, `{"timestamp_unix":%d,"memory_used_mb":2000,"process_memory_mb":200,"process_count":1,"process_cpu_percent":%.1f}`+"\n",
			1_000_000_000+10*i, 10+15*float64(i)/360+float64(i*7%5))
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stderr := exitCode(t, subcommand(t, "analyze", path))
	if code != 3 || !strings.Contains(stderr, "verdict: CPU DEGRADATION in process_cpu_percent") {
		t.Errorf("creeping CPU: exit %d, want 3\n%s", code, stderr)
	}
	code, stderr = exitCode(t, subcommand(t, "analyze", "--leak-threshold", "cpu=off", path))
	if code != 0 || strings.Contains(stderr, "DEGRADATION") {
		t.Errorf("cpu=off: exit %d, want 0\n%s", code, stderr)
	}
}
