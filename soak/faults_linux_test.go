package soak

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/soakrun/soakrun/internal/testproc"
)

// The output's directory is removed mid-run: sampling goes on into the
// unlinked file, the exit code is the command's, and the verdict is still
// given from memory though the analysis file cannot be written.
func TestOutputDirectoryRemovedMidRun(t *testing.T) {
	var said lines
	var summary buffer
	cfg := config(t, &said, "sleep", "1500ms")
	dir := filepath.Join(testproc.TempDir(t), "out")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	cfg.Sampling.Output, cfg.Console.Summary = filepath.Join(dir, "run.jsonl"), &summary
	go func() {
		time.Sleep(500 * time.Millisecond)
		os.RemoveAll(dir)
	}()
	o, err := Run(t.Context(), cfg)
	if err != nil || o.ExitCode != 0 {
		t.Errorf("exit %d, %v; want the command's 0\n%s", o.ExitCode, err, said.text())
	}
	if !strings.Contains(summary.String(), "verdict:") || !strings.Contains(said.text(), "write analysis") {
		t.Errorf("want the verdict and the analysis write error:\n%s\n%s", summary.String(), said.text())
	}
}

// The exit sample, taken once the tree is empty, still has the cgroup's
// final account: the cgroup is removed only after it. The command, which
// used 300 ms of CPU and is gone, counts in it.
func TestExitSampleHasTheCgroupsFinalAccount(t *testing.T) {
	var said lines
	cfg := config(t, &said, "burn", "300ms")
	cfg.Judge, cfg.Sampling.Interval = false, time.Hour
	o, err := Run(t.Context(), cfg)
	if err != nil || o.ExitCode != 0 {
		t.Fatalf("exit %d, %v\n%s", o.ExitCode, err, said.text())
	}
	if !strings.HasPrefix(o.Result.Containment, "cgroup ") {
		t.Skipf("no cgroup here: %s", o.Result.Containment)
	}
	lines := testproc.ReadJSONL(t, cfg.Sampling.Output)
	last := lines[len(lines)-1]
	cpu, ok := last["cgroup_cpu_seconds"].(float64)
	if last["sample"] != "exit" || !ok || cpu < 0.3 {
		t.Errorf("exit sample's cgroup_cpu_seconds %v, want the command's 0.3 s at least: %v", last["cgroup_cpu_seconds"], last)
	}
	paths := regexp.MustCompile(`/sys/fs/cgroup/\S+`).FindAllString(o.Result.Containment, -1)
	if len(paths) == 0 {
		t.Fatalf("no cgroup path in %q", o.Result.Containment)
	}
	for _, p := range paths {
		if _, err := os.Stat(strings.TrimRight(p, ")")); err == nil {
			t.Errorf("the run's cgroup %s outlived the run", p)
		}
	}
}
