package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/report/trend"
)

// selfSoakFor is how long the self-soak runs: SOAKRUN_SELF_SOAK, or 150 s.
func selfSoakFor(t *testing.T) time.Duration {
	if s := os.Getenv("SOAKRUN_SELF_SOAK"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil {
			t.Fatalf("SOAKRUN_SELF_SOAK: %v", err)
		}
		return d
	}
	return 150 * time.Second
}

// soakrun watches a churning tree of 200 processes at 50 ms and its own
// analysis judges soakrun's own memory, goroutines and open fds from the
// samples it wrote: none may grow.
func TestSelfSoak(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("the self-soak takes minutes; it runs without -short")
	}
	d := selfSoakFor(t)
	// The soakrun under test is the real binary, built without the race
	// detector, whose own memory grows with the history it keeps.
	bin := filepath.Join(t.TempDir(), "soakrun")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build soakrun: %v\n%s", err, out)
	}
	out := filepath.Join(t.TempDir(), "self.jsonl")
	cmd := exec.Command(bin, "--interval", "50ms", "--top", "0", "--no-leak-check", "-o", out, "--", os.Args[0])
	cmd.Env = testproc.Env("churn-tree", "200", d.String())
	if code, stderr := exitCode(t, cmd); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	lines := testproc.ReadJSONL(t, out)
	// Thresholds for a run of minutes, not days. A Go heap's resident size
	// moves in steps of about a megabyte as spans are taken and returned,
	// so the RSS threshold is 60 MB/h (2.5 MB over 150 s): what a leak of
	// one kilobyte per 50 ms sample would reach, and above the steps.
	// soakrun keeps two files open per member, so its fds follow the
	// churning tree's size (± 20 here): 3600/h, a leak of one fd a second,
	// is far above that and far below a leak of one per sample.
	rows := map[string]struct {
		threshold float64 // per hour
		envelope  bool
	}{
		"soakrun_rss_mb":     {60, true},
		"soakrun_goroutines": {60, false},
		"soakrun_handles":    {3600, false},
	}
	for field, how := range rows {
		var pts []trend.Point
		for _, l := range lines {
			if v, ok := l[field].(float64); ok && l["sample"] == "interval" {
				pts = append(pts, trend.Point{T: l["timestamp_unix"].(float64), V: v})
			}
		}
		r := trend.Analyze(pts, trend.Options{Threshold: how.threshold, Warmup: d.Seconds() / 5, MinSpan: d.Seconds() / 2, Envelope: how.envelope})
		t.Logf("%s: %s, %s over %d samples (%.1f–%.1f)", field, r.Verdict, r.Reason, r.Points, r.Min, r.Max)
		if r.Leak || r.Verdict == trend.Insufficient {
			t.Errorf("%s: %s: %s", field, r.Verdict, r.Reason)
		}
	}
	if n := len(lines); n < int(d/(50*time.Millisecond))/2 {
		t.Errorf("%d samples in %s at 50 ms", n, d)
	}
	t.Logf("%d samples; soakrun's CPU %.1f s", len(lines), lines[len(lines)-1]["soakrun_cpu_seconds"])
}
