//go:build linux || darwin

package supervisor

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/proc"
)

func noZombieChildren(t *testing.T) {
	t.Helper()
	all, err := proc.List()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range all {
		if p.PPID == os.Getpid() && p.Zombie {
			t.Errorf("zombie child %d (%s) left unreaped", p.PID, p.Name)
		}
	}
}

func TestExitStatus(t *testing.T) {
	for _, tc := range []struct {
		role     []string
		status   int
		signal   syscall.Signal
		exitCode int
	}{
		{[]string{"exit", "0"}, 0, 0, 0},
		{[]string{"exit", "3"}, 3, 0, 3},
		{[]string{"exit", "124"}, 124, 0, 124},
		{[]string{"kill-self", "9"}, -1, syscall.SIGKILL, 137},
		{[]string{"kill-self", "15"}, -1, syscall.SIGTERM, 143},
	} {
		t.Run(strings.Join(tc.role, "-"), func(t *testing.T) {
			s := &Supervisor{Args: []string{os.Args[0]}, Env: testproc.Env(tc.role...)}
			if err := s.Start(); err != nil {
				t.Fatal(err)
			}
			res := wait(t, s)
			if res.ExitStatus != tc.status || res.Signal != tc.signal {
				t.Errorf("status %d signal %v, want %d %v", res.ExitStatus, res.Signal, tc.status, tc.signal)
			}
			if got := res.ExitCode(false); got != tc.exitCode {
				t.Errorf("exit code %d, want %d", got, tc.exitCode)
			}
			if res.TimedOut {
				t.Error("timed_out set for a command that exited by itself")
			}
		})
	}
}

func TestTimeoutKillsSetsidGrandchildThatIgnoresTerm(t *testing.T) {
	eachContainment(t, func(t *testing.T, mode CgroupMode) {
		const grace = 300 * time.Millisecond
		s := &Supervisor{Timeout: 1500 * time.Millisecond, KillAfter: grace, Cgroup: mode}
		pids := started(t, s, 2, "spawn", "setsid", "--", "ignore-term", "1h")
		res := wait(t, s)
		assertGone(t, pids...)
		if !res.TimedOut || !res.Killed {
			t.Errorf("timed_out=%v killed=%v, want both", res.TimedOut, res.Killed)
		}
		if got := res.ExitCode(false); got != ExitTimeout {
			t.Errorf("exit code %d, want %d", got, ExitTimeout)
		}
		// The kill comes when the grace runs out: not before, and not at the
		// default grace or the give-up bound. How fast it comes is measured by
		// BenchmarkTimeoutToEmpty, not asserted on a loaded machine.
		if took := res.Ended.Sub(res.TimeoutAt); took < grace || took > grace+2*time.Second {
			t.Errorf("tree empty %s after the timeout, want just after the grace %s", took, grace)
		}
		noZombieChildren(t)
	})
}

func TestPreserveStatus(t *testing.T) {
	s := &Supervisor{Timeout: 500 * time.Millisecond, KillAfter: time.Second}
	started(t, s, 1, "sleep", "1h")
	res := wait(t, s)
	if got := res.ExitCode(true); got != 128+int(syscall.SIGTERM) {
		t.Errorf("preserved exit code %d, want %d", got, 128+int(syscall.SIGTERM))
	}
	if res.Killed {
		t.Error("killed set though the command obeyed SIGTERM")
	}
}

func TestDoubleForkedDaemonIsALeftover(t *testing.T) {
	eachContainment(t, func(t *testing.T, mode CgroupMode) {
		s := &Supervisor{KillAfter: 200 * time.Millisecond, Cgroup: mode}
		pids := started(t, s, 2, "spawn", "setsid", "exit", "--", "ignore-term", "1h")
		res := wait(t, s)
		if res.ExitStatus != 0 || res.TimedOut {
			t.Errorf("status %d timed_out %v, want 0 false", res.ExitStatus, res.TimedOut)
		}
		if len(res.Leftovers) != 1 || res.Leftovers[0].PID != pids[1] {
			t.Errorf("leftovers %v, want the daemon %d", res.Leftovers, pids[1])
		}
		assertGone(t, pids...)
		noZombieChildren(t)
	})
}

func TestOrphansReapedMainStatusIntact(t *testing.T) {
	if testing.Short() {
		t.Skip("forks 1000 processes")
	}
	s := &Supervisor{}
	started(t, s, 1, "orphans", "1000", "7")
	res := wait(t, s)
	if res.ExitStatus != 7 {
		t.Errorf("main status %d, want 7", res.ExitStatus)
	}
	if res.OrphansReaped < 1000 {
		t.Errorf("reaped %d orphans, want at least 1000", res.OrphansReaped)
	}
	noZombieChildren(t)
}

// startSignals starts, under s, a command that prints each signal it gets
// and exits 300 ms after the first, and waits for its ready line; the
// rest of its output is on the returned pipe.
func startSignals(t *testing.T, s *Supervisor) *os.File {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	s.Args, s.Env, s.Stdout = []string{os.Args[0]}, testproc.Env("signals", "300ms"), w
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	buf := make([]byte, 64)
	if n, err := r.Read(buf); err != nil || !strings.HasPrefix(string(buf[:n]), "ready") {
		t.Fatalf("no ready line: %q %v", buf[:n], err)
	}
	return r
}

func TestStopSignalReachesTreeOnce(t *testing.T) {
	stop := make(chan os.Signal, 2)
	s := &Supervisor{Interrupts: stop, KillAfter: 5 * time.Second}
	r := startSignals(t, s)
	stop <- syscall.SIGINT
	res := wait(t, s)
	rest, _ := readAll(r)
	if got := strings.Count(rest, "signal 2\n"); got != 1 {
		t.Errorf("target saw SIGINT %d times, want once; output %q", got, rest)
	}
	if res.Interrupted != syscall.SIGINT || res.Killed {
		t.Errorf("interrupted=%v killed=%v, want SIGINT false", res.Interrupted, res.Killed)
	}
	if got := res.ExitCode(false); got != 130 {
		t.Errorf("exit code %d for an interrupted run whose command exited 0, want 130", got)
	}
}

// SIGALRM is the timeout, now: the evidence hook runs, the command gets
// the stop signal and never SIGALRM, and the code is the timeout's. A
// second one kills at once and is no interruption.
func TestTimeUpSignalStopsAsTheTimeout(t *testing.T) {
	stop := make(chan os.Signal, 2)
	var evidence atomic.Int32
	s := &Supervisor{Interrupts: stop, KillAfter: 5 * time.Second, BeforeStop: func([]proc.Process) { evidence.Add(1) }}
	r := startSignals(t, s)
	stop <- syscall.SIGALRM
	res := wait(t, s)
	rest, _ := readAll(r)
	if strings.Count(rest, "signal 15\n") != 1 || strings.Contains(rest, "signal 14\n") {
		t.Errorf("the command saw %q, want SIGTERM once and no SIGALRM", rest)
	}
	if !res.TimedOut || res.Interrupted != nil || evidence.Load() != 1 {
		t.Errorf("timed out %v, interrupted %v, evidence taken %d times: want true, nil, once", res.TimedOut, res.Interrupted, evidence.Load())
	}
	if got := res.ExitCode(false); got != ExitTimeout {
		t.Errorf("exit code %d, want %d", got, ExitTimeout)
	}

	s = &Supervisor{Interrupts: stop, KillAfter: time.Hour}
	pids := started(t, s, 1, "ignore-term", "1h")
	stop <- syscall.SIGALRM
	time.Sleep(50 * time.Millisecond)
	stop <- syscall.SIGALRM
	if res := wait(t, s); !res.Killed || !res.TimedOut || res.Interrupted != nil {
		t.Errorf("killed %v, timed out %v, interrupted %v after a second SIGALRM: want true, true, nil", res.Killed, res.TimedOut, res.Interrupted)
	}
	assertGone(t, pids...)
}

func TestSecondStopKillsAtOnce(t *testing.T) {
	stop := make(chan os.Signal, 2)
	s := &Supervisor{Interrupts: stop, KillAfter: time.Hour}
	pids := started(t, s, 1, "ignore-term", "1h")
	stop <- syscall.SIGTERM
	time.Sleep(50 * time.Millisecond)
	stop <- syscall.SIGTERM
	done := make(chan Result, 1)
	go func() { res, _ := s.Wait(); done <- res }()
	select {
	case res := <-done:
		if !res.Killed {
			t.Error("killed not set")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("second stop signal did not kill the tree")
	}
	assertGone(t, pids...)
}

func TestIdentityRefusesRecycledPid(t *testing.T) {
	s := &Supervisor{KillAfter: 100 * time.Millisecond, Timeout: 5 * time.Second}
	pids := started(t, s, 1, "sleep", "1h")
	p, err := proc.Get(pids[0])
	if err != nil {
		t.Fatal(err)
	}
	stranger := proc.Identity{PID: p.PID, Start: p.Start + 1}
	if err := signalMember(stranger, syscall.SIGKILL); !errors.Is(err, ErrNotOurs) {
		t.Errorf("signal to a recycled pid: err %v, want ErrNotOurs", err)
	}
	if !proc.Alive(p.Identity) {
		t.Fatal("process signalled through an identity that does not match")
	}
	if err := signalMember(p.Identity, syscall.SIGKILL); err != nil {
		t.Fatalf("signal to the real member: %v", err)
	}
	res := wait(t, s)
	if res.Signal != syscall.SIGKILL {
		t.Errorf("signal %v, want SIGKILL", res.Signal)
	}
}

func TestStartErrors(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "plain")
	if err := os.WriteFile(plain, []byte("not a program"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		arg  string
		want int
	}{
		{"soakrun-no-such-command", ExitNotFound},
		{filepath.Join(dir, "missing"), ExitNotFound},
		{plain, ExitNotExecutable},
		{dir, ExitNotExecutable},
	} {
		s := &Supervisor{Args: []string{tc.arg}}
		err := s.Start()
		if got := StartExitCode(err); got != tc.want {
			t.Errorf("%s: exit code %d (%v), want %d", tc.arg, got, err, tc.want)
		}
	}
}

func TestParseSignal(t *testing.T) {
	for in, want := range map[string]syscall.Signal{
		"TERM": syscall.SIGTERM, "SIGINT": syscall.SIGINT, "hup": syscall.SIGHUP, "9": syscall.SIGKILL,
	} {
		if got, err := ParseSignal(in); err != nil || got != want {
			t.Errorf("ParseSignal(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "NOPE", "0", "-1", "999"} {
		if _, err := ParseSignal(bad); err == nil {
			t.Errorf("ParseSignal(%q) accepted", bad)
		}
	}
}

func readAll(f *os.File) (string, error) {
	var sb strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := f.Read(buf)
		sb.Write(buf[:n])
		if err != nil {
			return sb.String(), nil
		}
	}
}

// A Supervisor runs one command: Start a second time is an error and
// launches nothing, as exec.Cmd's is.
func TestStartTwice(t *testing.T) {
	marker := filepath.Join(t.TempDir(), "ran")
	s := &Supervisor{Args: []string{os.Args[0]}, Env: testproc.Env("exit", "0")}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	wait(t, s)
	s.Env = testproc.Env("touch", marker)
	if err := s.Start(); !errors.Is(err, ErrStarted) {
		t.Errorf("second Start: %v, want ErrStarted", err)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("the second Start launched its command")
	}
}
