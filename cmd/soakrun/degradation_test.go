package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/soakrun/soakrun/internal/testproc"
)

// A tree whose CPU creeps fails analyze with the leak exit code, named as
// a degradation; with cpu=off it passes.
func TestAnalyzeCPUDegradationExitCode(t *testing.T) {
	t.Parallel()
	path := filepath.Join(testproc.TempDir(t), "cpu.jsonl")
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
