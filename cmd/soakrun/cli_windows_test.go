package main

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/windows"

	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/proc"
	"github.com/soakrun/soakrun/soak"
)

// soakrun.exe over a tree whose grandchild ignores CTRL_C: the job is
// terminated after the grace, the exit code is 124, and samples were kept.
func TestWindowsTimeoutEndToEnd(t *testing.T) {
	cmd := soakrun(t, []string{"--timeout", "2s", "--kill-after", "500ms", "--interval", "200ms"}, "spawn", "--", "ignore-ctrl", "1h")
	var stdout strings.Builder
	cmd.Stdout = &stdout
	code, stderr := exitCode(t, cmd)
	if code != 124 {
		t.Fatalf("exit %d, want 124\n%s", code, stderr)
	}
	var pids []int
	for _, line := range strings.Split(stdout.String(), "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "ready" {
			pid, _ := strconv.Atoi(f[2])
			pids = append(pids, pid)
		}
	}
	if len(pids) != 2 {
		t.Fatalf("ready lines: %q", stdout.String())
	}
	for _, pid := range pids {
		if _, err := proc.Get(pid); err == nil {
			t.Errorf("pid %d survived the job's termination", pid)
		}
	}
	f, err := os.Open(filepath.Join(cmd.Dir, "resources.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	for sc := bufio.NewScanner(f); sc.Scan(); n++ {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %d: %v", n+1, err)
		}
	}
	if n < 5 {
		t.Errorf("%d samples in 2 s at 200 ms", n)
	}
}

// soakrun.exe --timeout over a C target and its grandchild, which clean up
// on CTRL_C: both record CTRL_C and exit, the run exits 124 without killing
// anything (the grace is a minute), and the target's lines reach soakrun's
// stdout, a pipe, in order.
func TestWindowsTimeoutStopsGracefully(t *testing.T) {
	t.Parallel()
	dir := testproc.TempDir(t)
	cmd := subcommand(t, "--timeout", "1s", "--kill-after", "1m", "--interval", "200ms",
		"--", testproc.CtrlTarget(t), "-child", "-lines", "300", dir, "target")
	var stdout strings.Builder
	cmd.Stdout = &stdout
	code, stderr := exitCode(t, cmd)
	if code != 124 {
		t.Fatalf("exit %d, want 124\n%s", code, stderr)
	}
	if strings.Contains(stderr, "killing") {
		t.Errorf("the tree had to be killed:\n%s", stderr)
	}
	testproc.CheckCtrlRecorded(t, dir, "CTRL_C\ncleanup done\n", "target", "target-child")
	var lines []string
	ready := 0
	for _, l := range strings.Split(stdout.String(), "\n") {
		if strings.HasPrefix(l, "target line ") {
			lines = append(lines, l)
		}
		if strings.HasPrefix(l, "ready target") {
			ready++
		}
	}
	if len(lines) != 300 || ready != 2 {
		t.Fatalf("%d lines and %d ready lines on stdout, want 300 and 2:\n%s", len(lines), ready, stdout.String())
	}
	for i, l := range lines {
		if want := "target line " + strconv.Itoa(i+1); l != want {
			t.Fatalf("line %d is %q, want %q", i+1, l, want)
		}
	}
}

// soakrun started with CREATE_NEW_PROCESS_GROUP, as CI tools and Python's
// subprocess start a program they mean to stop with CTRL_BREAK, ignores
// CTRL_C, and its children would inherit that: its command still gets the
// CTRL_C of a timeout and cleans up.
func TestWindowsTimeoutStopsTreeOfSoakrunInNewGroup(t *testing.T) {
	t.Parallel()
	dir := testproc.TempDir(t)
	cmd := subcommand(t, "--timeout", "1s", "--kill-after", "1m", "--interval", "200ms",
		"--", testproc.CtrlTarget(t), "-child", dir, "target")
	cmd.SysProcAttr = &syscall.SysProcAttr{CreationFlags: windows.CREATE_NEW_PROCESS_GROUP}
	code, stderr := exitCode(t, cmd)
	if code != 124 || strings.Contains(stderr, "killing") {
		t.Errorf("exit %d, want 124 without a kill:\n%s", code, stderr)
	}
	testproc.CheckCtrlRecorded(t, dir, "CTRL_C\ncleanup done\n", "target", "target-child")
}

// Ctrl+C at soakrun's own console reaches soakrun alone (the command has a
// console of its own), and starts the same stop: CTRL_C to the command's
// console, once, then the grace. A tree that cleans up is not killed, and
// the run exits 130 (interrupted); a tree that ignores CTRL_C records it
// once (reached twice, it would record it twice) and is killed, and the run
// exits with the status TerminateJobObject gave the command, 1, which
// outranks the interrupt. The Ctrl+C is sent as a terminal
// would, to soakrun's whole console, by soakrun's own sender.
func TestWindowsCtrlCToSoakrunStopsTheTree(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		grace  string
		flags  []string
		marker string
		killed bool
		code   int
	}{
		{"cleans up", "1m", nil, "CTRL_C\ncleanup done\n", false, 130},
		{"ignores", "500ms", []string{"-ignore-c"}, "CTRL_C ignored\n", true, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := testproc.TempDir(t)
			args := append([]string{"--kill-after", tc.grace, "--interval", "200ms", "--", testproc.CtrlTarget(t), "-child"}, tc.flags...)
			cmd := subcommand(t, append(args, dir, "target")...)
			cmd.SysProcAttr = &syscall.SysProcAttr{CreationFlags: windows.CREATE_NO_WINDOW}
			var stderr strings.Builder
			cmd.Stderr = &stderr
			testproc.Start(t, cmd, 2, nil)
			self, err := proc.Get(cmd.Process.Pid)
			if err != nil {
				t.Fatal(err)
			}
			sender := exec.Command(os.Args[0])
			sender.Env = append(os.Environ(), "SOAKRUN_CONSOLE_EVENT=0 "+self.Identity.String())
			sender.SysProcAttr = &syscall.SysProcAttr{CreationFlags: windows.DETACHED_PROCESS}
			if out, err := sender.CombinedOutput(); err != nil {
				t.Fatalf("send CTRL_C to soakrun's console: %v\n%s", err, out)
			}
			cmd.Wait()
			if code := cmd.ProcessState.ExitCode(); code != tc.code {
				t.Errorf("exit %d, want %d\n%s", code, tc.code, stderr.String())
			}
			if killed := strings.Contains(stderr.String(), "killing"); killed != tc.killed {
				t.Errorf("killed %v, want %v:\n%s", killed, tc.killed, stderr.String())
			}
			testproc.CheckCtrlRecorded(t, dir, tc.marker, "target", "target-child")
		})
	}
}

func TestWindowsZombiesIsEmpty(t *testing.T) {
	out, err := subcommand(t, "zombies").Output()
	if err != nil || strings.TrimSpace(string(out)) != "[]" {
		t.Errorf("zombies printed %q (%v), want [] on Windows", out, err)
	}
}

// soakrun.exe killed outright: closing its job (KILL_ON_JOB_CLOSE) ends the
// tree with it, no guard needed.
func TestWindowsSupervisorDeathKillsTree(t *testing.T) {
	cmd := soakrun(t, []string{"--interval", "200ms"}, "spawn", "--", "sleep", "1h")
	pids := testproc.Start(t, cmd, 2, nil)
	cmd.Process.Kill()
	cmd.Wait()
	deadline := time.Now().Add(time.Second)
	for _, pid := range pids {
		for {
			if _, err := proc.Get(pid); err != nil {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("pid %d outlived soakrun by a second", pid)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// ps and kill work on Windows trees too.
func TestWindowsPsAndKill(t *testing.T) {
	target := testproc.Command("spawn", "--", "sleep", "1h")
	pids := testproc.Start(t, target, 2, nil)
	out, err := subcommand(t, "ps", strconv.Itoa(pids[0])).Output()
	if err != nil {
		t.Fatalf("ps: %v", err)
	}
	var info struct {
		TotalCount int `json:"total_count"`
	}
	if err := json.Unmarshal(out, &info); err != nil || info.TotalCount != 2 {
		t.Errorf("ps printed %s (%v), want a tree of 2", out, err)
	}
	if code, stderr := exitCode(t, subcommand(t, "kill", "--kill-after", "200ms", strconv.Itoa(pids[0]))); code != 0 {
		t.Fatalf("kill exit %d: %s", code, stderr)
	}
	for _, pid := range pids {
		if _, err := proc.Get(pid); err == nil {
			t.Errorf("pid %d survived soakrun kill", pid)
		}
	}
}

// soakrun.exe --max-tree-memory over a leaking target: the job is stopped
// through the same sequence as a timeout, the run exits 5, and the
// analysis says why it ended early.
func TestWindowsCeilingStopsTheJob(t *testing.T) {
	out := filepath.Join(testproc.TempDir(t), "run.jsonl")
	cmd := soakrun(t, []string{"--max-tree-memory", "48M", "--timeout", "1m", "--kill-after", "500ms", "--interval", "100ms", "-o", out}, "leak-mem", "8", "1h")
	var stdout strings.Builder
	cmd.Stdout = &stdout
	code, stderr := exitCode(t, cmd)
	if code != 5 {
		t.Fatalf("exit %d, want 5\n%s", code, stderr)
	}
	for _, line := range strings.Split(stdout.String(), "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "ready" {
			if pid, _ := strconv.Atoi(f[2]); pid > 0 {
				if _, err := proc.Get(pid); err == nil {
					t.Errorf("pid %d survived the stop", pid)
				}
			}
		}
	}
	b, err := os.ReadFile(soak.AnalysisPath(out))
	if err != nil {
		t.Fatal(err)
	}
	var a struct {
		Run struct {
			ExitCode     int    `json:"exit_code"`
			StoppedEarly string `json:"stopped_early"`
		} `json:"run"`
	}
	if err := json.Unmarshal(b, &a); err != nil || a.Run.ExitCode != 5 || !strings.HasPrefix(a.Run.StoppedEarly, "--max-tree-memory: tree memory ") {
		t.Errorf("analysis run %+v (%v)", a.Run, err)
	}
}
