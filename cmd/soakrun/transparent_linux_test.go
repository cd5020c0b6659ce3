//go:build cgo

package main

import (
	"fmt"
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
	"github.com/soakrun/soakrun/supervisor"
)

// The signal state a parent gives: PIPE, INT, SEGV and TTOU ignored; ILL,
// TERM and TTIN blocked. Python also ignores XFSZ by default.
const inheritScript = `import os, signal, sys
for s in (signal.SIGPIPE, signal.SIGINT, signal.SIGSEGV, signal.SIGTTOU):
    signal.signal(s, signal.SIG_IGN)
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGILL, signal.SIGTERM, signal.SIGTTIN})
os.execv(sys.argv[1], sys.argv[1:])`

// nohupScript ignores SIGHUP, as nohup(1) does.
const nohupScript = `import os, signal, sys
signal.signal(signal.SIGHUP, signal.SIG_IGN)
os.execv(sys.argv[1], sys.argv[1:])`

// wrapped returns argv run under wrapper ("" for none, "soakrun", or an
// oracle: "tini", "timeout"), from a parent that set up its signal state
// with script. It skips the test when the wrapper is not installed.
func wrapped(t *testing.T, script, wrapper string, argv ...string) *exec.Cmd {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("needs python3 to set up the inherited signal state")
	}
	env := os.Environ()
	switch wrapper {
	case "soakrun":
		argv = append([]string{os.Args[0], "-q", "-o", filepath.Join(t.TempDir(), "run.jsonl"), "--"}, argv...)
		env = append(env, envAsSoakrun+"=1")
	case "tini":
		argv = append([]string{"/usr/bin/tini", "-s", "--"}, argv...)
	case "timeout":
		argv = append([]string{"/usr/bin/timeout", "60"}, argv...)
	}
	if _, err := os.Stat(argv[0]); err != nil {
		t.Skipf("%s is not installed", argv[0])
	}
	cmd := exec.Command(py, append([]string{"-c", script}, argv...)...)
	cmd.Env = env
	return cmd
}

// signalState is what a process observed of its own signal state.
type signalState struct{ ignored, blocked uint64 }

func observeSignals(t *testing.T, cmd *exec.Cmd) signalState {
	t.Helper()
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%v: %v", cmd.Args, err)
	}
	var st signalState
	for line := range strings.Lines(string(out)) {
		k, v, _ := strings.Cut(line, ":")
		n, err := strconv.ParseUint(strings.TrimSpace(v), 16, 64)
		switch {
		case err != nil:
		case k == "SigIgn":
			st.ignored = n
		case k == "SigBlk":
			st.blocked = n
		}
	}
	return st
}

func sigbit(s syscall.Signal) uint64 { return 1 << (s - 1) }

// The command starts with the signal state soakrun inherited: what its
// parent ignored stays ignored, what was blocked stays blocked, exactly as
// when it runs directly and under tini. GNU timeout keeps the mask but
// resets INT (it catches it) and TTOU (it ignores TTIN and TTOU itself and
// resets both to the default in its child).
func TestCommandInheritsSignalState(t *testing.T) {
	t.Parallel()
	status := []string{"/bin/cat", "/proc/self/status"}
	direct := observeSignals(t, wrapped(t, inheritScript, "", status...))
	want := sigbit(syscall.SIGPIPE) | sigbit(syscall.SIGINT) | sigbit(syscall.SIGSEGV) | sigbit(syscall.SIGTTOU)
	if direct.ignored&want != want || direct.blocked != sigbit(syscall.SIGILL)|sigbit(syscall.SIGTERM)|sigbit(syscall.SIGTTIN) {
		t.Fatalf("the parent's set-up did not take: ignored %x, blocked %x", direct.ignored, direct.blocked)
	}
	got := observeSignals(t, wrapped(t, inheritScript, "soakrun", status...))
	if got != direct {
		t.Errorf("under soakrun: ignored %016x blocked %016x; run directly: ignored %016x blocked %016x", got.ignored, got.blocked, direct.ignored, direct.blocked)
	}
	t.Run("tini", func(t *testing.T) {
		if tini := observeSignals(t, wrapped(t, inheritScript, "tini", status...)); tini != got {
			t.Errorf("under tini: ignored %016x blocked %016x; under soakrun: ignored %016x blocked %016x", tini.ignored, tini.blocked, got.ignored, got.blocked)
		}
	})
	t.Run("timeout", func(t *testing.T) {
		gnu := observeSignals(t, wrapped(t, inheritScript, "timeout", status...))
		if gnu.blocked != got.blocked {
			t.Errorf("mask under GNU timeout %016x, under soakrun %016x", gnu.blocked, got.blocked)
		}
		if resets := sigbit(syscall.SIGINT) | sigbit(syscall.SIGTTOU); gnu.ignored != got.ignored&^resets {
			t.Errorf("ignored under GNU timeout %016x, under soakrun %016x: want them to differ only in INT and TTOU", gnu.ignored, got.ignored)
		}
	})
}

// Under nohup, SIGHUP to soakrun is neither caught nor forwarded: the run
// goes on and the command, which inherited the ignored SIGHUP, ends by
// itself, as under tini (which forwards it to a command that ignores it).
func TestNohupSurvivesHangup(t *testing.T) {
	t.Parallel()
	for _, wrapper := range []string{"soakrun", "tini"} {
		t.Run(wrapper, func(t *testing.T) {
			cmd := wrapped(t, nohupScript, wrapper, os.Args[0])
			cmd.Env = append(cmd.Env, testproc.Env("sleep", "1500ms")...)
			startAndWaitReady(t, cmd)
			cmd.Process.Signal(syscall.SIGHUP)
			cmd.Wait()
			if code := cmd.ProcessState.ExitCode(); code != 0 {
				t.Errorf("exit %d after SIGHUP under nohup, want 0: the command ran to its end", code)
			}
		})
	}
}

// A stop or pass signal that was ignored when soakrun started stays
// ignored by soakrun too, not only SIGHUP and SIGINT, which Go's runtime
// keeps ignored itself: SIGQUIT, a background job's, once made soakrun
// dump its goroutines and exit 2, and SIGTERM ended it. The command, a
// shell that execs sleep (a Go program would put its own handlers back),
// inherits the ignored signal and runs to its end, as under tini.
func TestSignalsIgnoredAtStartStayIgnored(t *testing.T) {
	t.Parallel()
	for _, sig := range []syscall.Signal{syscall.SIGQUIT, syscall.SIGTERM, syscall.SIGUSR1} {
		for _, wrapper := range []string{"soakrun", "tini"} {
			t.Run(supervisor.SignalName(sig)+"/"+wrapper, func(t *testing.T) {
				script := fmt.Sprintf("import os, signal, sys\nsignal.signal(%d, signal.SIG_IGN)\nos.execv(sys.argv[1], sys.argv[1:])", int(sig))
				cmd := wrapped(t, script, wrapper, "/bin/sh", "-c", "echo ready sh $$; exec sleep 1.5")
				startAndWaitReady(t, cmd)
				cmd.Process.Signal(sig)
				cmd.Wait()
				if code := cmd.ProcessState.ExitCode(); code != 0 {
					t.Errorf("exit %d after %s, ignored at start, want 0: the command ran to its end", code, supervisor.SignalName(sig))
				}
			})
		}
	}
}

// startAndWaitReady starts cmd and waits for the ready line of the role at the end
// of its tree; the rest of its stdout is returned.
func startAndWaitReady(t *testing.T, cmd *exec.Cmd) io.Reader {
	t.Helper()
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if _, err := testproc.WaitReady(out, 1, 20*time.Second); err != nil {
		t.Fatal(err)
	}
	return out
}

// SIGUSR1 and SIGUSR2 to soakrun reach the command once, and the run goes
// on to the command's own exit, as under tini. (GNU timeout does not
// catch them: it dies, leaving the command behind.)
func TestUserSignalsPassToCommand(t *testing.T) {
	t.Parallel()
	for _, wrapper := range []string{"soakrun", "tini"} {
		t.Run(wrapper, func(t *testing.T) {
			cmd := wrapped(t, "import os, sys\nos.execv(sys.argv[1], sys.argv[1:])", wrapper, os.Args[0])
			cmd.Env = append(cmd.Env, testproc.Env("signals", "300ms")...)
			out := startAndWaitReady(t, cmd)
			cmd.Process.Signal(syscall.SIGUSR1)
			rest, _ := io.ReadAll(out)
			cmd.Wait()
			if n := strings.Count(string(rest), "signal 10\n"); n != 1 {
				t.Errorf("the command got SIGUSR1 %d times, want once; output %q", n, rest)
			}
			if code := cmd.ProcessState.ExitCode(); code != 0 {
				t.Errorf("exit %d, want the command's 0: the run goes on", code)
			}
		})
	}
}

// A member stopped by SIGSTOP is continued after the stop signal, so it
// dies of that signal at once instead of SIGKILL after the grace: 143, as
// under GNU timeout.
func TestStoppedMemberDiesOfTheStopSignal(t *testing.T) {
	t.Parallel()
	argv := []string{"/bin/sh", "-c", "kill -STOP $$"}
	flags := []string{"--preserve-status", "--kill-after", "30s", "--timeout", "300ms"}
	cmd := soakrun(t, flags)
	cmd.Args = append(cmd.Args[:len(cmd.Args)-1], argv...)
	if code, stderr := exitCode(t, cmd); code != 143 {
		t.Errorf("exit %d, want 143 (137: killed after the grace, never continued)\n%s", code, stderr)
	}
	if _, err := os.Stat("/usr/bin/timeout"); err == nil {
		gnu := exec.Command("/usr/bin/timeout", append([]string{"--preserve-status", "--kill-after", "30s", "0.3"}, argv...)...)
		if code, _ := exitCode(t, gnu); code != 143 {
			t.Errorf("GNU timeout exits %d here, want 143", code)
		}
	}
}

// SIGALRM to soakrun is its timeout, now, as GNU timeout takes it: the
// command gets the stop signal, not SIGALRM, and the run exits 124, with
// or without a --timeout of its own.
func TestAlarmIsTheTimeoutNow(t *testing.T) {
	t.Parallel()
	for _, wrapper := range []string{"soakrun", "timeout"} {
		t.Run(wrapper, func(t *testing.T) {
			cmd := wrapped(t, "import os, sys\nos.execv(sys.argv[1], sys.argv[1:])", wrapper,
				"/bin/sh", "-c", "echo ready sh $$; exec sleep 60")
			var stderr strings.Builder
			cmd.Stderr = &stderr
			startAndWaitReady(t, cmd)
			sent := time.Now()
			cmd.Process.Signal(syscall.SIGALRM)
			cmd.Wait()
			if code := cmd.ProcessState.ExitCode(); code != 124 {
				t.Errorf("exit %d after SIGALRM, want 124\n%s", code, stderr.String())
			}
			if d := time.Since(sent); d > 20*time.Second {
				t.Errorf("the run ended %s after SIGALRM: the command was not stopped", d.Round(time.Second))
			}
		})
	}
}
