package winjob

import (
	"os"
	"os/exec"
	"slices"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/windows"

	"github.com/soakrun/soakrun/internal/testproc"
)

func TestMain(m *testing.M) {
	testproc.Main()
	os.Exit(m.Run())
}

// startInJob starts this binary in role suspended, puts it in job and lets
// it run, as the supervisor does, and waits for n ready lines.
func startInJob(t *testing.T, job *Job, n int, role ...string) (*exec.Cmd, []int) {
	t.Helper()
	cmd := testproc.Command(role...)
	cmd.SysProcAttr = &syscall.SysProcAttr{CreationFlags: windows.CREATE_SUSPENDED | windows.CREATE_NEW_PROCESS_GROUP}
	pids := testproc.Start(t, cmd, n, func() {
		if err := job.Assign(uint32(cmd.Process.Pid)); err != nil {
			t.Fatal(err)
		}
		if err := Resume(uint32(cmd.Process.Pid)); err != nil {
			t.Fatal(err)
		}
	})
	return cmd, pids
}

// waitEmpty waits until the job has no process left.
func waitEmpty(t *testing.T, job *Job) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		pids, err := job.Pids()
		if err != nil {
			t.Fatal(err)
		}
		if len(pids) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("job still holds %v", pids)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestJobHoldsGrandchildrenAndTerminates(t *testing.T) {
	job, err := Create()
	if err != nil {
		t.Fatal(err)
	}
	defer job.Close()
	cmd, ready := startInJob(t, job, 2, "spawn", "--", "sleep", "1h")
	pids, err := job.Pids()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ready {
		if !slices.Contains(pids, uint32(p)) {
			t.Errorf("pid %d (started inside the job) is not in it: %v", p, pids)
		}
	}
	if err := job.Terminate(1); err != nil {
		t.Fatal(err)
	}
	waitEmpty(t, job)
	cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != 1 {
		t.Errorf("exit code %d after TerminateJobObject(1)", code)
	}
}

func TestCloseKillsTheTree(t *testing.T) {
	job, err := Create()
	if err != nil {
		t.Fatal(err)
	}
	cmd, _ := startInJob(t, job, 2, "spawn", "--", "sleep", "1h")
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	if err := job.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("closing the job (KILL_ON_JOB_CLOSE) left the command running")
	}
}

func TestAssignUnknownProcessFails(t *testing.T) {
	job, err := Create()
	if err != nil {
		t.Fatal(err)
	}
	defer job.Close()
	if err := job.Assign(0x7ffffff0); err == nil {
		t.Error("assigned a pid that does not exist")
	}
}
