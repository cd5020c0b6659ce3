//go:build linux || darwin

package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/proc"
)

func TestExitCodes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	plain := filepath.Join(dir, "plain")
	os.WriteFile(plain, []byte("data"), 0o644)
	for _, tc := range []struct {
		name  string
		flags []string
		role  []string
		cmd   []string // instead of the role
		want  int
	}{
		{"success", nil, []string{"exit", "0"}, nil, 0},
		{"status", nil, []string{"exit", "42"}, nil, 42},
		{"own 124 is not a timeout", nil, []string{"exit", "124"}, nil, 124},
		{"signal", nil, []string{"kill-self", "9"}, nil, 137},
		{"timeout", []string{"--timeout", "0.5", "--kill-after", "1s"}, []string{"sleep", "1h"}, nil, 124},
		{"timeout preserve", []string{"--timeout", "500ms", "--preserve-status"}, []string{"sleep", "1h"}, nil, 143},
		{"timeout custom signal", []string{"--timeout", "500ms", "--signal", "INT", "--preserve-status"}, []string{"sleep", "1h"}, nil, 130},
		{"bad duration", []string{"--timeout", "soon"}, []string{"exit", "0"}, nil, 125},
		{"negative duration", []string{"--kill-after", "-5"}, []string{"exit", "0"}, nil, 125},
		{"negative zero", []string{"--timeout", "-0"}, []string{"exit", "0"}, nil, 125},
		{"negative zero underflowed", []string{"--timeout=-1e-10000"}, []string{"exit", "0"}, nil, 125},
		{"timeout below the clock's resolution", []string{"--timeout", "1e-10", "--kill-after", "1s"}, []string{"sleep", "1h"}, nil, 124},
		{"bad signal", []string{"--signal", "SIGNOPE"}, []string{"exit", "0"}, nil, 125},
		{"unknown flag", []string{"--no-such-flag"}, []string{"exit", "0"}, nil, 125},
		{"bad leak exit code", []string{"--leak-exit-code", "300"}, []string{"exit", "0"}, nil, 125},
		{"not executable", nil, nil, []string{plain}, 126},
		{"not found", nil, nil, []string{"soakrun-no-such-command-x"}, 127},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := soakrun(t, tc.flags, tc.role...)
			if tc.cmd != nil {
				cmd.Args = append(append([]string{os.Args[0]}, tc.flags...), append([]string{"--"}, tc.cmd...)...)
			}
			got, stderr := exitCode(t, cmd)
			if got != tc.want {
				t.Errorf("exit code %d, want %d; stderr:\n%s", got, tc.want, stderr)
			}
			if tc.want == 125 || tc.want == 126 || tc.want == 127 {
				if lines := strings.Count(strings.TrimSpace(stderr), "\n") + 1; lines != 1 || !strings.HasPrefix(stderr, "soakrun: ") {
					t.Errorf("want one line naming the problem, got %q", stderr)
				}
			}
		})
	}
}

func TestDoubleDashCommandIsNeverASubcommand(t *testing.T) {
	t.Parallel()
	cmd := subcommand(t, "--", "ps", "-p", "1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("soakrun -- ps: %v", err)
	}
	if !strings.Contains(string(out), "PID") || strings.Contains(string(out), "total_count") {
		t.Errorf("soakrun -- ps ran the subcommand, not ps(1): %q", out)
	}
}

// startSoakrun starts soakrun in a process group of its own, as a shell
// starts a foreground job, and waits until the target is ready.
func startSoakrun(t *testing.T, flags []string, role ...string) (*exec.Cmd, *bufio.Reader, *bytes.Buffer) {
	t.Helper()
	cmd := soakrun(t, flags, role...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	r := bufio.NewReader(out)
	line, err := r.ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "ready") {
		t.Fatalf("target not ready: %q %v; stderr %s", line, err, stderr.String())
	}
	return cmd, r, &stderr
}

// A signal to soakrun reaches the target once and the run never reports
// success. ^C at a terminal goes to the foreground process group, soakrun's;
// a runner's cancel goes to soakrun's pid.
func TestSignalToSoakrunReachesTargetOnce(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		sig   syscall.Signal
		group bool
		want  int
	}{
		{"terminal interrupt", syscall.SIGINT, true, 130},
		{"terminate", syscall.SIGTERM, false, 143},
		{"quit, never a goroutine dump", syscall.SIGQUIT, false, 131},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd, out, stderr := startSoakrun(t, nil, "signals", "300ms")
			target := cmd.Process.Pid
			if tc.group {
				target = -target
			}
			if err := syscall.Kill(target, tc.sig); err != nil {
				t.Fatal(err)
			}
			rest, _ := io.ReadAll(out)
			cmd.Wait()
			line := "signal " + strconv.Itoa(int(tc.sig)) + "\n"
			if n := strings.Count(string(rest), line); n != 1 {
				t.Errorf("target got %s %d times, want once; output %q; stderr %s", tc.sig, n, rest, stderr)
			}
			if got := cmd.ProcessState.ExitCode(); got != tc.want {
				t.Errorf("exit code %d, want %d", got, tc.want)
			}
		})
	}
}

func TestSecondInterruptKillsAtOnce(t *testing.T) {
	t.Parallel()
	cmd, out, _ := startSoakrun(t, []string{"--kill-after", "1h"}, "spawn", "setsid", "--", "ignore-term", "1h")
	gc, err := testproc.WaitReady(out, 1, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, out)
	syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
	time.Sleep(100 * time.Millisecond)
	syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		t.Fatal("a second signal did not end the run")
	}
	if p, err := proc.Get(gc[0]); err == nil && !p.Zombie {
		t.Errorf("grandchild %d survived", gc[0])
	}
}

func TestPsKillZombies(t *testing.T) {
	t.Parallel()
	// A tree soakrun did not start: a parent holding a zombie child, and a
	// daemon grandchild in a session of its own.
	target, zombie := testproc.ZombieParent(t)
	testproc.WaitFor(t, func() bool { p, err := proc.Get(zombie); return err == nil && p.Zombie })

	asSoakrun := func(args ...string) *exec.Cmd { return subcommand(t, args...) }
	psOut, err := asSoakrun("ps", strconv.Itoa(target.Process.Pid)).Output()
	if err != nil {
		t.Fatalf("ps: %v", err)
	}
	var info proc.TreeInfo
	if err := json.Unmarshal(psOut, &info); err != nil {
		t.Fatalf("ps output: %v\n%s", err, psOut)
	}
	if info.TotalCount != 2 || len(info.Children) != 1 || info.Children[0].PID != zombie || info.Children[0].Status != "zombie" {
		t.Errorf("ps: %+v, want the parent and its zombie child %d", info, zombie)
	}
	if info.Parent == nil || info.Parent.PID != os.Getpid() {
		t.Errorf("ps parent %+v, want the test process %d", info.Parent, os.Getpid())
	}

	zOut, err := asSoakrun("zombies").Output()
	if err != nil {
		t.Fatalf("zombies: %v", err)
	}
	var zs []proc.TreeInfo
	json.Unmarshal(zOut, &zs)
	found := false
	for _, z := range zs {
		found = found || (z.PID == zombie && z.Parent != nil && z.Parent.PID == target.Process.Pid)
	}
	if !found {
		t.Errorf("zombies did not list %d with parent %d: %s", zombie, target.Process.Pid, zOut)
	}

	if code, stderr := exitCode(t, asSoakrun("kill", "--kill-after", "1s", strconv.Itoa(target.Process.Pid))); code != 0 {
		t.Fatalf("kill exit %d: %s", code, stderr)
	}
	if p, err := proc.Get(target.Process.Pid); err == nil && !p.Zombie {
		t.Errorf("kill left the target running")
	}
	if code, _ := exitCode(t, asSoakrun("kill", "999999999")); code == 0 {
		t.Error("kill of a pid that does not exist exited 0")
	}
	if code, _ := exitCode(t, asSoakrun("ps", "abc")); code != 125 {
		t.Errorf("ps abc: exit %d, want 125", code)
	}
}

func TestKillTreeWithEscapedGrandchild(t *testing.T) {
	t.Parallel()
	target := testproc.Command("spawn", "setsid", "--", "ignore-term", "1h")
	out, _ := target.StdoutPipe()
	if err := target.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { target.Process.Kill(); target.Wait() }()
	pids, err := testproc.WaitReady(out, 2, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Kill(pids[0], syscall.SIGKILL)
	c := subcommand(t, "kill", "--kill-after", "300ms", strconv.Itoa(target.Process.Pid))
	if code, stderr := exitCode(t, c); code != 0 {
		t.Fatalf("kill exit %d: %s", code, stderr)
	}
	for _, pid := range pids {
		if p, err := proc.Get(pid); err == nil && !p.Zombie {
			t.Errorf("pid %d (%s) survived soakrun kill", pid, p.Name)
		}
	}
}

// Every flag's bad values: exit 125, one line naming the flag, and nothing
// launched.
func TestBadFlagValues(t *testing.T) {
	t.Parallel()
	for _, flags := range [][]string{
		{"--timeout", "soon"}, {"--timeout", "-1s"}, {"--kill-after", "x"},
		{"--signal", "NOPE"}, {"--signal", "999"},
		{"--cgroup", "sometimes"},
		{"--interval", "10ms"}, {"--interval", "often"}, {"--interval", "0"},
		{"--top", "-1"}, {"--top", "many"},
		{"--output", ""}, {"--disk", "/no/such/dir"},
		{"--leak-threshold", "fast"}, {"--leak-threshold", "memory=-3"}, {"--leak-threshold", "heap=1"},
		{"--warmup", "soon"}, {"--min-span", "x"},
		{"--leak-exit-code", "-1"}, {"--leak-exit-code", "256"}, {"--leak-exit-code", "x"},
		{"--metrics-addr", "nope"}, {"--metrics-addr", "70000"},
		{"--max-tree-memory", "0"}, {"--max-tree-memory", "lots"}, {"--max-tree-memory", "-5G"}, {"--max-tree-memory", "1e30T"},
		{"--max-processes", "0"}, {"--max-processes", "many"},
		{"--abort-on-leak", "--no-leak-check"}, {"--abort-on-leak", "--leak-exit-code", "0"},
		{"--no-such-flag"},
	} {
		marker := filepath.Join(t.TempDir(), "ran")
		cmd := soakrun(t, flags)
		cmd.Args = append(cmd.Args[:len(cmd.Args)-1], "/bin/sh", "-c", "touch "+marker)
		code, stderr := exitCode(t, cmd)
		name := strings.TrimPrefix(flags[0], "--")
		if code != 125 || strings.Count(strings.TrimSpace(stderr), "\n") != 0 || !strings.Contains(stderr, name) {
			t.Errorf("%v: exit %d, stderr %q; want 125 and one line naming %s", flags, code, stderr, name)
		}
		if _, err := os.Stat(marker); err == nil {
			t.Errorf("%v: the command ran", flags)
		}
	}
}

// Exec errors as env and GNU timeout report them: a name found on PATH only
// as a file that is not executable, or as a directory, is 126; 127 only
// when nothing was found; each with one line naming the file. The same
// cases run under GNU timeout and env must give the same codes.
func TestExecErrorsAsTimeoutReportsThem(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	plain := filepath.Join(dir, "soakrun-plain")
	os.WriteFile(plain, []byte("data"), 0o644)
	os.Mkdir(filepath.Join(dir, "soakrun-dir"), 0o755)
	noShebang := filepath.Join(dir, "soakrun-script")
	os.WriteFile(noShebang, []byte("exit 7\n"), 0o755)
	path := dir + ":" + os.Getenv("PATH")
	for _, tc := range []struct {
		name, cmd, names string
		want             int
	}{
		{"not executable, on PATH", "soakrun-plain", plain, 126},
		{"directory, on PATH", "soakrun-dir", filepath.Join(dir, "soakrun-dir"), 126},
		{"directory, by path", dir, dir, 126},
		{"not found", "soakrun-no-such-command-x", "soakrun-no-such-command-x", 127},
		{"script without #!, run by sh", noShebang, "", 7},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := soakrun(t, []string{"-q"})
			cmd.Args = append(cmd.Args[:len(cmd.Args)-1], tc.cmd)
			cmd.Env = append(cmd.Env, "PATH="+path)
			code, stderr := exitCode(t, cmd)
			if code != tc.want {
				t.Errorf("exit %d, want %d; stderr %q", code, tc.want, stderr)
			}
			if tc.names != "" && (strings.Count(strings.TrimSpace(stderr), "\n") != 0 || !strings.Contains(stderr, tc.names)) {
				t.Errorf("stderr %q: want one line naming %s", stderr, tc.names)
			}
			for _, oracle := range [][]string{{"/usr/bin/timeout", "10"}, {"/usr/bin/env"}} {
				if _, err := os.Stat(oracle[0]); err != nil {
					continue
				}
				o := exec.Command(oracle[0], append(oracle[1:], tc.cmd)...)
				o.Env = append(os.Environ(), "PATH="+path)
				if got, stderr := exitCode(t, o); got != code {
					t.Errorf("%s exits %d (%q), soakrun %d", oracle[0], got, stderr, code)
				}
			}
		})
	}
}

// Durations at the edges: a positive value below the clock's resolution
// times out, as under GNU timeout; negative zero is refused, where GNU
// timeout 9.1 reads "-0" and "-1e-10000" as 0, no timeout at all, and runs
// the command unbounded.
func TestDurationEdgesAsTimeoutReadsThem(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		duration string
		want     int
		gnu      int
	}{{"1e-10", 124, 124}, {"-0", 125, 0}, {"-1e-10000", 125, 0}} {
		cmd := soakrun(t, []string{"-q", "--timeout=" + tc.duration, "--kill-after", "1s"})
		cmd.Args = append(cmd.Args[:len(cmd.Args)-1], "/bin/sleep", "60")
		if code, stderr := exitCode(t, cmd); code != tc.want {
			t.Errorf("--timeout %s: exit %d, want %d\n%s", tc.duration, code, tc.want, stderr)
		}
		if _, err := os.Stat("/usr/bin/timeout"); err == nil {
			argv := []string{"/bin/sleep", "60"}
			if tc.gnu == 0 {
				argv = []string{"/bin/true"} // unbounded: let it end by itself
			}
			gnu := exec.Command("/usr/bin/timeout", append([]string{"--kill-after", "1s", "--", tc.duration}, argv...)...)
			if code, _ := exitCode(t, gnu); code != tc.gnu {
				t.Errorf("GNU timeout %s: exit %d, want %d", tc.duration, code, tc.gnu)
			}
		}
	}
}

// No flag turns a wrapped command into a silent success: -v is --verbose,
// as in GNU timeout, and runs the command; --version runs nothing, so with
// a command it is refused.
func TestVerboseRunsTheCommandVersionStandsAlone(t *testing.T) {
	t.Parallel()
	cmd := soakrun(t, []string{"-v", "--timeout", "1"})
	cmd.Args = append(cmd.Args[:len(cmd.Args)-1], "/bin/false")
	if code, stderr := exitCode(t, cmd); code != 1 {
		t.Errorf("soakrun -v -- false: exit %d, want false's 1\n%s", code, stderr)
	}
	if _, err := os.Stat("/usr/bin/timeout"); err == nil {
		if code, _ := exitCode(t, exec.Command("/usr/bin/timeout", "-v", "1", "/bin/false")); code != 1 {
			t.Errorf("GNU timeout -v 1 false: exit %d, want 1", code)
		}
	}
	for _, args := range [][]string{{"--version", "--", "/bin/false"}, {"--version", "/bin/false"}, {"--timeout", "1", "--version", "--", "/bin/true"}} {
		code, stderr := exitCode(t, subcommand(t, args...))
		if code != 125 || strings.Count(strings.TrimSpace(stderr), "\n") != 0 || !strings.Contains(stderr, "--version") {
			t.Errorf("soakrun %v: exit %d, stderr %q; want 125 and one line naming --version", args, code, stderr)
		}
	}
	c := subcommand(t, "--version")
	var stdout strings.Builder
	c.Stdout = &stdout
	if code, stderr := exitCode(t, c); code != 0 || !strings.Contains(stdout.String(), "soakrun version") {
		t.Errorf("soakrun --version: exit %d, stdout %q, stderr %q", code, stdout.String(), stderr)
	}
}

// --verbose names each orphan soakrun reaps, by pid and name, as tini -w
// reports each zombie it reaps: the same orphans under both.
func TestVerboseNamesReapedOrphans(t *testing.T) {
	t.Parallel()
	reaped := regexp.MustCompile(`reaped orphan (\d+) \(sleep\)`)
	cmd := soakrun(t, []string{"--verbose"}, "orphans", "3", "0")
	code, stderr := exitCode(t, cmd)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	ours := reaped.FindAllStringSubmatch(stderr, -1)
	if len(ours) != 3 {
		t.Errorf("%d orphans named on stderr, want the 3 sleeps:\n%s", len(ours), stderr)
	}
	if _, err := os.Stat("/usr/bin/tini"); err != nil {
		return
	}
	tini := testproc.Command("orphans", "3", "0")
	tini.Args = []string{"/usr/bin/tini", "-s", "-w", "--", os.Args[0]}
	tini.Path = "/usr/bin/tini"
	_, tstderr := exitCode(t, tini)
	if n := strings.Count(tstderr, "Reaped zombie process"); n != len(ours) {
		t.Errorf("tini -w reaped %d orphans, soakrun %d\n%s", n, len(ours), tstderr)
	}
}
