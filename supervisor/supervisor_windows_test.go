package supervisor

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/soakrun/soakrun/cgroup"

	"golang.org/x/sys/windows"

	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/proc"
)

func TestWindowsExitStatusPassesThrough(t *testing.T) {
	s := &Supervisor{}
	started(t, s, 0, "exit", "7")
	res := wait(t, s)
	if res.ExitStatus != 7 || res.ExitCode(false) != 7 || res.TimedOut {
		t.Errorf("status %d code %d timed out %v, want 7", res.ExitStatus, res.ExitCode(false), res.TimedOut)
	}
}

func TestWindowsLeftoverGrandchildIsStopped(t *testing.T) {
	s := &Supervisor{KillAfter: 300 * time.Millisecond}
	pids := started(t, s, 2, "spawn", "exit", "--", "sleep", "1h")
	res := wait(t, s)
	if len(res.Leftovers) != 1 || res.ExitStatus != 0 {
		t.Errorf("leftovers %v, status %d; want the sleeping grandchild", Names(res.Leftovers), res.ExitStatus)
	}
	assertGone(t, pids...)
}

func TestWindowsJobPeakMemory(t *testing.T) {
	s := &Supervisor{}
	started(t, s, 1, "hold", "50", "500ms")
	peak, ok := s.PeakMemory()
	wait(t, s)
	if testproc.UnderWine() {
		t.Skip("Wine does not account a job's memory")
	}
	if !ok {
		t.Fatal("no peak memory from the job")
	}
	t.Logf("job peak memory %d MB", peak>>20)
	if peak < 50<<20 {
		t.Errorf("job peak memory %d MB, want at least the 50 MB held", peak>>20)
	}
}

// A command that cannot be put in the job never runs: it was created
// suspended, and is killed before it takes a step; the run exits 125.
func TestWindowsFailedAssignmentNeverRuns(t *testing.T) {
	c, err := newContainer(CgroupAuto, cgroup.DriverAuto, "")
	if err != nil {
		t.Fatal(err)
	}
	jc := c.(*jobContainer)
	jc.job.Close() // every assignment to it now fails
	marker := filepath.Join(testproc.TempDir(t), "ran")
	cmd := testproc.Command("touch", marker)
	err = jc.start(cmd)
	if err == nil {
		t.Fatal("start succeeded without a job")
	}
	if !strings.Contains(err.Error(), "contain the command") || StartExitCode(classifyStart("helper", err)) != ExitFailure {
		t.Errorf("error %q, exit code %d; want a containment failure and 125", err, StartExitCode(classifyStart("helper", err)))
	}
	if _, err := proc.Get(cmd.Process.Pid); err == nil {
		t.Errorf("pid %d is alive", cmd.Process.Pid)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("the command ran outside the job")
	}
}

// ctrlTarget runs ctrltarget.exe (testdata/windows/ctrltarget.c) with flags
// under s, as the command named "target", and waits for n ready lines. Its
// markers go to the returned directory.
func ctrlTarget(t *testing.T, s *Supervisor, n int, flags ...string) (dir string, pids []int) {
	t.Helper()
	dir = testproc.TempDir(t)
	s.Args = append(append([]string{testproc.CtrlTarget(t)}, flags...), dir, "target")
	return dir, startedCommand(t, s, n)
}

// logged collects a supervisor's log lines.
type logged struct {
	mu    sync.Mutex
	lines []string
}

func (l *logged) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

func (l *logged) count(substr string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, line := range l.lines {
		if strings.Contains(line, substr) {
			n++
		}
	}
	return n
}

// The command and its grandchild share the command's console, so one
// CTRL_C reaches both: each records it, cleans up and exits, long before
// the grace would have ended.
func TestWindowsTimeoutSendsCtrlCToTheWholeTree(t *testing.T) {
	t.Parallel()
	var log logged
	s := &Supervisor{Timeout: time.Second, KillAfter: time.Minute, Log: log.logf}
	dir, pids := ctrlTarget(t, s, 2, "-child")
	res := wait(t, s)
	if !res.TimedOut || res.ExitCode(false) != ExitTimeout {
		t.Errorf("timed out %v, exit code %d; want a timeout and 124", res.TimedOut, res.ExitCode(false))
	}
	if res.Killed {
		t.Errorf("the tree had to be killed: %q", log.lines)
	}
	t.Logf("the tree stopped %s after the timeout", res.Ended.Sub(res.TimeoutAt).Round(time.Millisecond))
	testproc.CheckCtrlRecorded(t, dir, "CTRL_C\ncleanup done\n", "target", "target-child")
	if log.count("sending CTRL_C") != 1 {
		t.Errorf("log %q, want one CTRL_C sent", log.lines)
	}
	assertGone(t, pids...)
	if ms, err := s.Members(); err != nil || len(ms) != 0 {
		t.Errorf("after the run the job holds %v (%v), want nothing", ms, err)
	}
}

// soakrun started ignoring CTRL_C, as a program started with
// CREATE_NEW_PROCESS_GROUP is, and whose children would inherit that: the
// command still starts with CTRL_C enabled and is stopped by it, and
// soakrun goes on ignoring it. Not parallel: the setting is the whole
// test process's.
func TestWindowsCtrlCReachesTreeOfSoakrunThatIgnoresIt(t *testing.T) {
	setCtrlHandler := windows.NewLazySystemDLL("kernel32.dll").NewProc("SetConsoleCtrlHandler")
	if ok, _, err := setCtrlHandler.Call(0, 1); ok == 0 {
		t.Fatalf("ignore CTRL_C: %v", err)
	}
	t.Cleanup(func() { setCtrlHandler.Call(0, 0) })
	s := &Supervisor{Timeout: time.Second, KillAfter: time.Minute}
	dir, pids := ctrlTarget(t, s, 2, "-child")
	if flags := windows.RtlGetCurrentPeb().ProcessParameters.ConsoleFlags; flags&1 == 0 {
		t.Error("starting the command made this process stop ignoring CTRL_C")
	}
	if res := wait(t, s); res.Killed {
		t.Error("the tree had to be killed: it inherited the ignoring of CTRL_C")
	}
	testproc.CheckCtrlRecorded(t, dir, "CTRL_C\ncleanup done\n", "target", "target-child")
	assertGone(t, pids...)
}

// --signal BREAK keeps CTRL_BREAK for targets that want it.
func TestWindowsBreakSignalSendsCtrlBreak(t *testing.T) {
	t.Parallel()
	const grace = time.Minute
	var log logged
	s := &Supervisor{Timeout: time.Second, KillAfter: grace, Signal: sigBreak, Log: log.logf}
	dir, pids := ctrlTarget(t, s, 2, "-child")
	res := wait(t, s)
	assertGone(t, pids...)
	if testproc.UnderWine() {
		// Wine 8 delivers only CTRL_C: GenerateConsoleCtrlEvent fails
		// for CTRL_BREAK ("Invalid handle"). So there this checks that an
		// event that cannot be sent costs no grace.
		if !res.Killed || log.count(errNotDelivered.Error()) != 1 || res.Ended.Sub(res.TimeoutAt) >= grace {
			t.Errorf("killed %v after %s, log %q; want a kill at once, said once", res.Killed, res.Ended.Sub(res.TimeoutAt), log.lines)
		}
		return
	}
	if res.Killed {
		t.Errorf("the tree had to be killed: %q", log.lines)
	}
	testproc.CheckCtrlRecorded(t, dir, "CTRL_BREAK\ncleanup done\n", "target", "target-child")
}

// A tree that gets CTRL_C and carries on is terminated after the grace.
func TestWindowsTreeIgnoringCtrlCIsTerminated(t *testing.T) {
	t.Parallel()
	s := &Supervisor{Timeout: time.Second, KillAfter: 500 * time.Millisecond}
	dir, pids := ctrlTarget(t, s, 2, "-child", "-ignore-c")
	res := wait(t, s)
	if !res.TimedOut || !res.Killed {
		t.Errorf("timed out %v, killed %v; want both", res.TimedOut, res.Killed)
	}
	testproc.CheckCtrlRecorded(t, dir, "CTRL_C ignored\n", "target", "target-child")
	assertGone(t, pids...)
	if ms, err := s.Members(); err != nil || len(ms) != 0 {
		t.Errorf("after the run the job holds %v (%v), want nothing", ms, err)
	}
}

// A grandchild on a console of its own is reached through that console,
// and each console gets the event once: the members ignore CTRL_C, so a
// second event would show as a second line.
func TestWindowsCtrlCReachesEveryConsoleOnce(t *testing.T) {
	t.Parallel()
	s := &Supervisor{Timeout: time.Second, KillAfter: 500 * time.Millisecond}
	dir, pids := ctrlTarget(t, s, 2, "-child-console", "-ignore-c")
	res := wait(t, s)
	if !res.Killed {
		t.Error("a tree that ignores CTRL_C was not killed")
	}
	testproc.CheckCtrlRecorded(t, dir, "CTRL_C ignored\n", "target", "target-child")
	assertGone(t, pids...)
}

// A leftover started without a console (DETACHED_PROCESS) can be sent no
// event: the run says so once and kills it at once, without the grace.
func TestWindowsNoConsoleMeansNoGrace(t *testing.T) {
	t.Parallel()
	const grace = time.Minute
	var log logged
	s := &Supervisor{KillAfter: grace, Log: log.logf}
	pids := started(t, s, 2, "spawn", "exit", "detached", "--", "sleep", "1h")
	res := wait(t, s)
	if len(res.Leftovers) != 1 || !res.Killed {
		t.Errorf("leftovers %v, killed %v; want the detached grandchild, killed", Names(res.Leftovers), res.Killed)
	}
	if n := log.count(errNotDelivered.Error()); n != 1 {
		t.Errorf("log %q says %d times that nothing was delivered, want once", log.lines, n)
	}
	if took := res.Ended.Sub(res.Started); took >= grace {
		t.Errorf("the run took %s: it waited a grace for an event never sent", took)
	}
	assertGone(t, pids...)
}

// The command's output is soakrun's own handle, not a copy: bytes arrive
// as written (no newline translation, nothing held back until exit), and
// stdin is soakrun's too.
func TestWindowsStandardHandlesPassThrough(t *testing.T) {
	t.Parallel()
	in, err := os.CreateTemp(testproc.TempDir(t), "stdin")
	if err != nil {
		t.Fatal(err)
	}
	input := "raw\nbytes\r\n\x00\xff end\n"
	if _, err := in.WriteString(input); err != nil {
		t.Fatal(err)
	}
	in.Seek(0, 0)
	defer in.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	dir := testproc.TempDir(t)
	s := &Supervisor{
		Args:  []string{testproc.CtrlTarget(t), "-cat", "-lines", "500", dir, "target"},
		Stdin: in, Stdout: w, Stderr: os.Stderr,
		Timeout: time.Minute, KillAfter: time.Minute,
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() {
		if ms, err := s.Members(); err == nil && len(Live(ms)) > 0 {
			s.c.kill(Live(ms))
		}
	})
	var want strings.Builder
	want.WriteString(input)
	for i := 1; i <= 500; i++ {
		fmt.Fprintf(&want, "target line %d\n", i)
	}
	want.WriteString(fmt.Sprintf("ready target %d\n", s.Main().PID))
	// The target now waits to be stopped: all of this arrived while it ran.
	got := make([]byte, want.Len())
	if _, err := io.ReadFull(r, got); err != nil {
		t.Fatalf("read the command's output: %v (got %q)", err, got)
	}
	if string(got) != want.String() {
		t.Errorf("stdout differs from what the command wrote:\n got %q\nwant %q", got, want.String())
	}
	// A signal to soakrun (Ctrl+C at its console) starts the same stop.
	stop := make(chan os.Signal, 1)
	stop <- os.Interrupt
	s.Interrupts = stop
	if res := wait(t, s); res.Killed || res.Interrupted != os.Interrupt {
		t.Errorf("interrupted by %v, killed %v; want os.Interrupt and a graceful stop", res.Interrupted, res.Killed)
	}
	testproc.CheckCtrlRecorded(t, dir, "CTRL_C\ncleanup done\n", "target")
}
