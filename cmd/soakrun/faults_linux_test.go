package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/proc"
)

// soakrun inside soakrun: the outer timeout stops the inner soakrun and its
// whole tree, a setsid grandchild that ignores SIGTERM included. The
// outer timeout is a SIGALRM once the tree is ready: a fixed one came
// before the tree on a loaded machine.
func TestNestedSoakruns(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "--timeout", "5m", "--kill-after", "500ms", "-o", filepath.Join(dir, "outer.jsonl"),
		"--", os.Args[0], "--interval", "100ms", "-o", filepath.Join(dir, "inner.jsonl"), "--", os.Args[0])
	cmd.Env = append(testproc.Env("spawn", "setsid", "--", "ignore-term", "1h"), envAsSoakrun+"=2")
	out, _ := cmd.StdoutPipe()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Killed, the outer soakrun leaves the rest to its guard.
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	pids, err := testproc.WaitReady(out, 2, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	var tree []proc.Identity
	all, _ := proc.List()
	for _, p := range proc.Descendants(all, cmd.Process.Pid) {
		tree = append(tree, p.Identity) // the inner soakrun, its guard, the tree
	}
	go io.Copy(io.Discard, out)
	cmd.Process.Signal(syscall.SIGALRM)
	cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != 124 {
		t.Errorf("outer exit %d, want 124\n%s", code, stderr.String())
	}
	if alive := gone(tree, time.Second); len(alive) > 0 {
		t.Errorf("%v outlived the outer timeout (tree pids %v)", alive, pids)
	}
}

// soakrun as PID 1 of a new pid namespace, where every orphan is its own to
// reap, as in a container without an init.
func TestPID1InNewNamespace(t *testing.T) {
	t.Parallel()
	unshare, err := exec.LookPath("unshare")
	if err != nil || os.Getuid() != 0 {
		t.Skip("needs root and unshare(1)")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "run.jsonl")
	cmd := exec.Command(unshare, "--pid", "--fork", "--mount-proc", os.Args[0], "--interval", "100ms", "-o", out, "--", os.Args[0])
	cmd.Env = append(testproc.Env("orphans", "200", "0"), envAsSoakrun+"=1")
	code, stderr := exitCode(t, cmd)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	run := analysisOf(t, out)["run"].(map[string]any)
	if n := run["orphans_reaped"].(float64); n < 200 {
		t.Errorf("PID 1 reaped %v orphans, want at least 200", n)
	}
}

// pythonExec runs soakrun through python3, which sets what soakrun
// inherits: SIGCHLD ignored (children would be reaped by the kernel, with
// their statuses) and SIGCHLD, SIGTERM and SIGINT blocked.
func pythonExec(t *testing.T, flags []string, role ...string) *exec.Cmd {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("needs python3")
	}
	cmd := soakrun(t, flags, role...)
	script := `import os, signal, sys
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD, signal.SIGTERM, signal.SIGINT})
os.execv(sys.argv[1], sys.argv[1:])`
	cmd.Args = append([]string{py, "-c", script}, cmd.Args...)
	cmd.Path = py
	return cmd
}

func TestInheritedIgnoredSIGCHLDAndBlockedSignals(t *testing.T) {
	t.Parallel()
	if code, stderr := exitCode(t, pythonExec(t, nil, "exit", "7")); code != 7 {
		t.Errorf("exit %d, want the command's 7 despite SIGCHLD ignored at start\n%s", code, stderr)
	}
	cmd := pythonExec(t, []string{"--kill-after", "500ms"}, "sleep", "1h")
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if _, err := testproc.WaitReady(out, 1, 20*time.Second); err != nil {
		t.Fatal(err)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != 143 {
		t.Errorf("exit %d after SIGTERM with SIGTERM blocked at start, want 143", code)
	}
}

// A target writing 1 GB to stdout writes it straight into soakrun's own
// stdout: the same pipe, not a copy through soakrun.
func TestStdoutPassesStraightThrough(t *testing.T) {
	t.Parallel()
	const mb = 1024
	cmd := soakrun(t, []string{"--interval", "1s"}, "write-stdout", "1024")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = w
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	defer r.Close()
	line := make([]byte, 0, 64)
	for b := make([]byte, 1); len(line) == 0 || line[len(line)-1] != '\n'; {
		if _, err := r.Read(b); err != nil {
			t.Fatal(err)
		}
		line = append(line, b[0])
	}
	f := strings.Fields(string(line))
	if len(f) != 3 || f[0] != "ready" {
		t.Fatalf("ready line %q", line)
	}
	targetOut, err1 := os.Readlink("/proc/" + f[2] + "/fd/1")
	ours, err2 := os.Readlink("/proc/self/fd/" + strconv.Itoa(int(r.Fd())))
	if err1 != nil || err2 != nil || targetOut != ours {
		t.Errorf("target's stdout is %q, the test's pipe %q (%v %v): not passed through", targetOut, ours, err1, err2)
	}
	start := time.Now()
	n, err := io.Copy(io.Discard, r)
	took := time.Since(start)
	cmd.Wait()
	if err != nil || n != mb<<20 {
		t.Errorf("read %d bytes (%v), want %d", n, err, mb<<20)
	}
	t.Logf("1 GiB through soakrun's stdout in %s (%.0f MB/s)", took.Round(time.Millisecond), float64(n)/(1<<20)/took.Seconds())
}

// In a pid namespace whose /proc is the parent namespace's, soakrun cannot
// find or identify anything it starts: it says so in one line, exits 125,
// and launches nothing.
func TestForeignProcIsRefused(t *testing.T) {
	t.Parallel()
	unshare, err := exec.LookPath("unshare")
	if err != nil || os.Getuid() != 0 {
		t.Skip("needs root and unshare(1)")
	}
	marker := filepath.Join(t.TempDir(), "ran")
	cmd := exec.Command(unshare, "--pid", "--fork", os.Args[0], "-o", filepath.Join(t.TempDir(), "run.jsonl"), "--", os.Args[0])
	cmd.Env = append(testproc.Env("touch", marker), envAsSoakrun+"=1")
	code, stderr := exitCode(t, cmd)
	if code != 125 || strings.Count(strings.TrimSpace(stderr), "\n") != 0 || !strings.Contains(stderr, "/proc belongs to another pid namespace") {
		t.Errorf("exit %d, stderr %q; want 125 and one line saying /proc is another namespace's", code, stderr)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("the command ran")
	}
}
