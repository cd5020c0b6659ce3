package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/soakrun/soakrun/internal/testproc"
)

// writeRun writes hours of samples every minute: soakrun's tree figures
// with memory mem(h), or with oldMonitor the old psutil monitor's host
// figures only.
func writeRun(t *testing.T, name string, hours float64, oldMonitor bool, mem func(h float64) float64) string {
	t.Helper()
	var b strings.Builder
	for i := 0; float64(i) <= hours*60; i++ {
		h := float64(i) / 60
		noise := float64(i*7%5) - 2
		if oldMonitor {
			fmt.Fprintf(&b, `{"timestamp_utc": "2025-03-01T%02d:%02d:00", "cpu_percent": 20, "memory_used_mb": %.1f, "disk_used_gb": 40}`+"\n",
				i/60, i%60, 2000+mem(h)+noise)
			continue
		}
		fmt.Fprintf(&b, `{"timestamp_unix":%d,"memory_used_mb":%.1f,"disk_used_gb":40,"process_memory_mb":%.1f,"process_count":2,"process_threads":9,"process_handles":30,"process_zombies":0,"process_cpu_percent":%.1f}`+"\n",
			1_700_000_000+60*i, 2000+mem(h)+noise, 300+mem(h)+noise, 12+noise)
	}
	path := filepath.Join(testproc.TempDir(t), name)
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// compare exits 4 when the new run is worse, 0 otherwise, and 125 with one
// line for what it cannot read; the psutil monitor's file compares on host
// memory.
func TestCompareCommand(t *testing.T) {
	t.Parallel()
	flat := func(float64) float64 { return 0 }
	leak := func(h float64) float64 { return 30 * h }
	base := writeRun(t, "base.jsonl", 12, false, flat)
	same := writeRun(t, "same.jsonl", 6, false, flat)
	leaking := writeRun(t, "leaking.jsonl", 8, false, leak)
	old := writeRun(t, "old.jsonl", 12, true, flat)
	html := filepath.Join(testproc.TempDir(t), "cmp.html")
	summary := filepath.Join(testproc.TempDir(t), "summary.md")
	for _, tc := range []struct {
		args    []string
		code    int
		verdict string
		stderr  string
	}{
		{[]string{base, same}, 0, "same", "compared with the baseline: SAME"},
		{[]string{"--html", html, "--markdown", summary, base, leaking}, 4, "worse", "compared with the baseline: WORSE in process_memory_mb: slope +30"},
		{[]string{"--worse-exit-code", "0", base, leaking}, 0, "worse", "WORSE"},
		{[]string{leaking, base}, 0, "better", "compared with the baseline: BETTER in process_memory_mb"},
		{[]string{old, leaking}, 4, "worse", "WORSE in memory_used_mb"},
		{[]string{"--leak-threshold", "memory=off", old, leaking}, 0, "same", "SAME"},
	} {
		cmd := subcommand(t, append([]string{"compare"}, tc.args...)...)
		var stdout strings.Builder
		cmd.Stdout = &stdout
		code, stderr := exitCode(t, cmd)
		var got struct {
			Verdict string                    `json:"verdict"`
			Metrics map[string]map[string]any `json:"metrics"`
		}
		if err := json.Unmarshal([]byte(stdout.String()), &got); err != nil {
			t.Errorf("%v: stdout is not JSON: %v", tc.args, err)
		}
		if code != tc.code || got.Verdict != tc.verdict || !strings.Contains(stderr, tc.stderr) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, verdict %s, stderr %q; want %d, %s, one line with %q", tc.args, code, got.Verdict, stderr, tc.code, tc.verdict, tc.stderr)
		}
	}
	if page, err := os.ReadFile(html); err != nil || !strings.Contains(string(page), "COMPARED WITH THE BASELINE: WORSE") {
		t.Errorf("HTML page (%v)", err)
	}
	if md, err := os.ReadFile(summary); err != nil || !strings.HasPrefix(string(md), "**Compared with the baseline: WORSE**") {
		t.Errorf("markdown block (%v): %.100s", err, md)
	}
	for _, args := range [][]string{
		{"compare", base},
		{"compare", base, filepath.Join(testproc.TempDir(t), "missing.jsonl")},
		{"compare", "--worse-exit-code", "300", base, same},
		{"compare", "--leak-threshold", "fast", base, same},
	} {
		code, stderr := exitCode(t, subcommand(t, args...))
		if code != 125 || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("%v: exit %d, stderr %q; want 125 and one line", args, code, stderr)
		}
	}
}
