package supervisor

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

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

// The grandchild ignores CTRL_BREAK, so the stop must end in
// TerminateJobObject: exit 124 and a job with nothing left in it.
func TestWindowsTimeoutKillsTreeThatIgnoresBreak(t *testing.T) {
	const grace = 500 * time.Millisecond
	s := &Supervisor{Timeout: 2 * time.Second, KillAfter: grace}
	pids := started(t, s, 2, "spawn", "--", "ignore-break", "1h")
	res := wait(t, s)
	if !res.TimedOut || res.ExitCode(false) != ExitTimeout {
		t.Errorf("timed out %v, exit code %d; want a timeout and 124", res.TimedOut, res.ExitCode(false))
	}
	if !res.Killed {
		t.Error("the tree obeyed a CTRL_BREAK it ignores")
	}
	assertGone(t, pids...)
	if ms, err := s.Members(); err != nil || len(ms) != 0 {
		t.Errorf("after the run the tree is %v (%v), want empty", ms, err)
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
	c, err := newContainer(CgroupAuto)
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
