package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/soakrun/soakrun/internal/testproc"
)

// A run beside a process that fills the same disk: the disk's growth is a
// host finding on a line of its own, which fails the run only with
// --judge-host. The same writes made by the tree are its leak, the writer
// named.
func TestDiskFilledBesideTheTreeOrByIt(t *testing.T) {
	dir := testproc.TempDir(t)
	flags := []string{"--interval", "100ms", "--warmup", "1s", "--min-span", "2s", "--disk", dir,
		"--leak-threshold", "memory=2000,handles=3600,threads=3600,cpu=36000"}
	name := filepath.Base(os.Args[0])

	// Not in parallel: each is the other's neighbour on the disk.
	t.Run("beside", func(t *testing.T) {
		testproc.Start(t, testproc.Command("fill-disk", filepath.Join(dir, "beside.log"), "250", "6s"), 1, nil)
		out := filepath.Join(t.TempDir(), "run.jsonl")
		code, stderr := exitCode(t, soakrun(t, append(slices.Clone(flags), "-o", out), "sleep", "4s"))
		a := analysisOf(t, out)
		disk, _ := a["metrics"].(map[string]any)["disk_used_gb"].(map[string]any)
		if code != 0 || slices.Contains(listOf(a, "leaks"), "disk_used_gb") || !slices.Contains(listOf(a, "host_findings"), "disk_used_gb") ||
			disk["host_finding"] != true {
			t.Fatalf("exit %d, leaks %v, host findings %v; want 0 and a host finding in the disk\n%s", code, a["leaks"], a["host_findings"], stderr)
		}
		if tree, _ := disk["tree"].(map[string]any); tree == nil || tree["source"] == "" || tree["per_hour"].(float64) > 0.1 || tree["accounts"] != false {
			t.Errorf("the tree's part %v: want next to no writes, not accounting for %v GB/h", disk["tree"], disk["slope_per_hour"])
		}
		// Host memory may rise beside it (the writer's page cache, in a
		// small guest): the line names each finding.
		finding := ""
		for l := range strings.Lines(stderr) {
			if strings.HasPrefix(l, "soakrun: host finding: ") {
				finding = l
			}
		}
		if !strings.Contains(finding, "disk_used_gb — ") || strings.Contains(stderr, "verdict: LEAK in disk_used_gb") {
			t.Errorf("stderr has no host finding line of its own:\n%s", stderr)
		}
		t.Logf("disk %.0f GB/h, the tree's writes 0", disk["slope_per_hour"])

		judged := subcommand(t, "analyze", "--judge-host", "--warmup", "1s", "--min-span", "2s",
			"--leak-threshold", "memory=2000,handles=3600,threads=3600,cpu=36000", out)
		if err := judged.Run(); judged.ProcessState.ExitCode() != 3 {
			t.Errorf("analyze --judge-host: exit %d (%v), want 3", judged.ProcessState.ExitCode(), err)
		}
	})

	t.Run("tree", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "run.jsonl")
		code, stderr := exitCode(t, soakrun(t, append(slices.Clone(flags), "-o", out), "fill-disk", filepath.Join(dir, "tree.log"), "200", "4s"))
		a := analysisOf(t, out)
		disk, _ := a["metrics"].(map[string]any)["disk_used_gb"].(map[string]any)
		tree, _ := disk["tree"].(map[string]any)
		if code != 3 || !slices.Contains(listOf(a, "leaks"), "disk_used_gb") || slices.Contains(listOf(a, "host_findings"), "disk_used_gb") ||
			tree == nil || tree["accounts"] != true || tree["writer"] != name {
			t.Fatalf("exit %d, leaks %v, host findings %v, the tree's part %v; want 3, a leak in the disk, written by %s\n%s",
				code, a["leaks"], a["host_findings"], disk["tree"], name, stderr)
		}
		if !strings.Contains(stderr, "soakrun: verdict: LEAK in ") || !strings.Contains(stderr, "most of it "+name+": the tree's") {
			t.Errorf("stderr does not name the tree's writer:\n%s", stderr)
		}
		t.Logf("disk %.0f GB/h, the tree's writes %.0f GB/h", disk["slope_per_hour"], tree["per_hour"])
	})
}

// listOf is the analysis's list under key as strings, nil when absent.
func listOf(a map[string]any, key string) []string {
	var out []string
	l, _ := a[key].([]any)
	for _, v := range l {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
