package soak

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/report"
)

// A run beside a process that fills the same disk: the disk's growth is a
// host finding on a line of its own, which fails the run only when host
// findings are judged. The same writes made by the tree are its leak, the
// writer named.
func TestDiskFilledBesideTheTreeOrByIt(t *testing.T) {
	dir := testproc.TempDir(t)
	th, err := report.ParseThresholds("memory=2000,handles=3600,threads=3600,cpu=36000")
	if err != nil {
		t.Fatal(err)
	}
	soak := func(t *testing.T, summary *buffer, disk string, role ...string) (Outcome, map[string]any, string) {
		var said lines
		cfg := config(t, &said, role...)
		cfg.Sampling.Disk, cfg.Sampling.Top, cfg.Console.Summary = disk, 3, summary
		cfg.Verdict = report.Options{Thresholds: th, Warmup: time.Second, MinSpan: 2 * time.Second}
		o, err := Run(t.Context(), cfg)
		if err != nil {
			t.Fatalf("run: %v\n%s", err, said.text())
		}
		return o, analysisOf(t, cfg.Sampling.Output), cfg.Sampling.Output
	}
	name := filepath.Base(os.Args[0])

	// Not in parallel: each is the other's neighbour on the disk.
	t.Run("beside", func(t *testing.T) {
		// The neighbour's writes must be the disk's only change: on the
		// machine's disk, other tests' builds coming and going hid them.
		quiet := quietDisk(t)
		testproc.Start(t, testproc.Command("fill-disk", filepath.Join(quiet, "beside.log"), "250", "6s"), 1, nil)
		var summary buffer
		o, a, out := soak(t, &summary, quiet, "sleep", "4s")
		disk, _ := a["metrics"].(map[string]any)["disk_used_gb"].(map[string]any)
		if o.ExitCode != 0 || slices.Contains(listOf(a, "leaks"), "disk_used_gb") || !slices.Contains(listOf(a, "host_findings"), "disk_used_gb") ||
			disk["host_finding"] != true {
			t.Fatalf("exit %d, leaks %v, host findings %v; want 0 and a host finding in the disk\n%s", o.ExitCode, a["leaks"], a["host_findings"], summary.String())
		}
		if tree, _ := disk["tree"].(map[string]any); tree == nil || tree["source"] == "" || tree["per_hour"].(float64) > 0.1 || tree["accounts"] != false {
			t.Errorf("the tree's part %v: want next to no writes, not accounting for %v GB/h", disk["tree"], disk["slope_per_hour"])
		}
		// Host memory may rise beside it (the writer's page cache, in a
		// small guest): the line names each finding.
		finding := ""
		for l := range strings.Lines(summary.String()) {
			if strings.HasPrefix(l, "soakrun: host finding: ") {
				finding = l
			}
		}
		if !strings.Contains(finding, "disk_used_gb — ") || strings.Contains(summary.String(), "verdict: LEAK in disk_used_gb") {
			t.Errorf("the summary has no host finding line of its own:\n%s", summary.String())
		}
		t.Logf("disk %.0f GB/h, the tree's writes 0", disk["slope_per_hour"])

		series, _, err := report.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if judged := report.Analyze(series, report.Options{Thresholds: th, Warmup: time.Second, MinSpan: 2 * time.Second, JudgeHost: true}); !judged.Fails() {
			t.Errorf("judging host findings: verdict %v, want a failing one", judged.Verdict)
		}
	})

	t.Run("tree", func(t *testing.T) {
		var summary buffer
		o, a, _ := soak(t, &summary, dir, "fill-disk", filepath.Join(dir, "tree.log"), "200", "4s")
		disk, _ := a["metrics"].(map[string]any)["disk_used_gb"].(map[string]any)
		tree, _ := disk["tree"].(map[string]any)
		if o.ExitCode != ExitLeak || !slices.Contains(listOf(a, "leaks"), "disk_used_gb") || slices.Contains(listOf(a, "host_findings"), "disk_used_gb") ||
			tree == nil || tree["accounts"] != true || tree["writer"] != name {
			t.Fatalf("exit %d, leaks %v, host findings %v, the tree's part %v; want 3, a leak in the disk, written by %s\n%s",
				o.ExitCode, a["leaks"], a["host_findings"], disk["tree"], name, summary.String())
		}
		if !strings.Contains(summary.String(), "soakrun: verdict: LEAK in ") || !strings.Contains(summary.String(), "most of it "+name+": the tree's") {
			t.Errorf("the summary does not name the tree's writer:\n%s", summary.String())
		}
		t.Logf("disk %.0f GB/h, the tree's writes %.0f GB/h", disk["slope_per_hour"], tree["per_hour"])
	})
}

// quietDisk is a directory on a file system no other process writes to: a
// tmpfs of its own where the test may mount one (as root), else a temporary
// directory on the machine's disk.
func quietDisk(t *testing.T) string {
	dir := testproc.TempDir(t)
	if err := unix.Mount("tmpfs", dir, "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, "size=512m,mode=0700"); err != nil {
		t.Logf("no tmpfs of the test's own (%v): the disk is shared with the machine", err)
		return dir
	}
	t.Cleanup(func() { unix.Unmount(dir, unix.MNT_DETACH) })
	return dir
}
