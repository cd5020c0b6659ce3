package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/proc"
)

// The guard's blind spot, closed: soakrun samples every 10 s, so it lists
// the tree once, at the start; the command's child then moves a grandchild
// to a session of its own and exits, orphaning it; soakrun is SIGKILLed
// before anyone lists again. Nothing ever told the guard of the grandchild,
// and it is in no group of the tree's, yet it dies with soakrun: it is in
// the run's cgroup, which the guard kills and then removes.
func TestSupervisorDeathKillsEscapedDaemon(t *testing.T) {
	t.Parallel()
	cmd := soakrun(t, []string{"--interval", "10s"},
		"spawn", "late", "--", "spawn", "setsid", "exit", "--", "sleep", "1h")
	// stderr to a file, not a pipe: a survivor holding a pipe open would
	// hold up cmd.Wait, not fail the test.
	stderr, err := os.CreateTemp(testproc.TempDir(t), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	defer stderr.Close()
	cmd.Stderr = stderr
	pids := testproc.Start(t, cmd, 3, nil)
	var tree []proc.Identity
	for _, pid := range pids {
		if p, err := proc.Get(pid); err == nil && !p.Zombie {
			tree = append(tree, p.Identity)
		}
	}
	t.Cleanup(func() {
		for _, id := range tree {
			if proc.Alive(id) {
				syscall.Kill(id.PID, syscall.SIGKILL)
			}
		}
	})
	run := fmt.Sprintf("soakrun-%d", cmd.Process.Pid)
	guard := guardOf(t, cmd.Process.Pid)
	killed := time.Now()
	cmd.Process.Kill()
	cmd.Wait()
	said, _ := os.ReadFile(stderr.Name())
	first, _, _ := strings.Cut(string(said), "\n")
	if !strings.HasPrefix(first, "soakrun: containment: cgroup ") {
		t.Skipf("no cgroup here: %q", first)
	}
	if alive := gone(tree, time.Second); len(alive) > 0 {
		t.Errorf("members %v outlived soakrun's SIGKILL by a second", alive)
	}
	t.Logf("tree gone %s after soakrun's SIGKILL", time.Since(killed).Round(time.Millisecond))
	if alive := gone([]proc.Identity{guard}, 5*time.Second); len(alive) > 0 {
		t.Fatalf("the guard %v did not exit", guard)
	}
	// The guard removed the run's cgroup in every hierarchy.
	left, _ := filepath.Glob("/sys/fs/cgroup/*/" + run)
	more, _ := filepath.Glob("/sys/fs/cgroup/*/*/*/" + run)
	if left = append(left, more...); len(left) > 0 {
		t.Errorf("the run's cgroup outlived soakrun and its guard: %v", left)
	}
}

// inReadOnlyCgroupfs runs cmd in a mount namespace of its own where every
// cgroup hierarchy is mounted read-only, as in a container.
func inReadOnlyCgroupfs(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	unshare, err := exec.LookPath("unshare")
	if err != nil || os.Getuid() != 0 {
		t.Skip("needs root and unshare(1)")
	}
	if _, err := exec.LookPath("findmnt"); err != nil {
		t.Skip("needs findmnt(8)")
	}
	script := `for m in $(findmnt -rn -t cgroup,cgroup2 -o TARGET); do mount -o remount,bind,ro "$m" || exit 99; done; exec "$@"`
	cmd.Args = append([]string{unshare, "--mount", "--propagation", "private", "/bin/sh", "-c", script, "sh"}, cmd.Args...)
	cmd.Path = unshare
}

// Where the cgroupfs is read-only, --cgroup=required runs nothing and
// exits 125 saying why; the default runs under the process group and says
// so first on stderr and in the analysis.
func TestReadOnlyCgroupfs(t *testing.T) {
	t.Parallel()
	marker := filepath.Join(testproc.TempDir(t), "ran")
	req := soakrun(t, []string{"--cgroup", "required"}, "touch", marker)
	inReadOnlyCgroupfs(t, req)
	code, stderr := exitCode(t, req)
	if code == 99 {
		t.Skipf("cannot remount the cgroupfs read-only here: %s", stderr)
	}
	want := "/sys/fs/cgroup is read-only"
	if code != 125 || !strings.Contains(stderr, want) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
		t.Errorf("--cgroup=required: exit %d, stderr %q; want 125 and one line saying %q", code, stderr, want)
	}
	if _, err := os.Stat(marker); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("--cgroup=required ran the command without a cgroup: %v", err)
	}

	out := filepath.Join(testproc.TempDir(t), "run.jsonl")
	auto := soakrun(t, []string{"-o", out}, "touch", marker)
	inReadOnlyCgroupfs(t, auto)
	code, stderr = exitCode(t, auto)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	first, _, _ := strings.Cut(stderr, "\n")
	if got := "soakrun: containment: process group: " + want; first != got {
		t.Errorf("first line %q, want %q", first, got)
	}
	if _, err := os.Stat(marker); err != nil {
		t.Errorf("the command did not run: %v", err)
	}
	run := analysisOf(t, out)["run"].(map[string]any)
	if got := run["containment"]; got != "process group: "+want {
		t.Errorf("analysis run.containment %q", got)
	}
}
