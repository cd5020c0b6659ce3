package supervisor

import (
	"errors"
	"fmt"
	"os/exec"
	"sync"
	"syscall"

	"golang.org/x/sys/windows"

	"github.com/soakrun/soakrun/proc"
	"github.com/soakrun/soakrun/winjob"
)

// jobContainer holds the tree in a job object: the command starts
// suspended, joins the job, then runs, so nothing it starts is ever outside.
type jobContainer struct {
	job    *winjob.Job
	main   proc.Identity
	status chan exitStatus

	mu     sync.Mutex
	closed bool // the job is gone, and with it every member
}

func newContainer(mode CgroupMode) (container, error) {
	if mode == CgroupRequired {
		return nil, fmt.Errorf("%w: Windows has no cgroups (its job object holds the tree)", ErrNoCgroup)
	}
	job, err := winjob.Create()
	if err != nil {
		return nil, err
	}
	return &jobContainer{job: job, status: make(chan exitStatus, 1)}, nil
}

func (j *jobContainer) start(cmd *exec.Cmd) error {
	cmd.SysProcAttr = &syscall.SysProcAttr{
		CreationFlags: windows.CREATE_SUSPENDED | windows.CREATE_NEW_PROCESS_GROUP,
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	pid := uint32(cmd.Process.Pid)
	if err := j.job.Assign(pid); err != nil {
		cmd.Process.Kill() // never run unsupervised
		cmd.Wait()
		return fmt.Errorf("contain the command: %w", err)
	}
	if err := winjob.Resume(pid); err != nil {
		j.job.Terminate(1)
		cmd.Wait()
		return err
	}
	if p, err := proc.Get(int(pid)); err == nil {
		j.main = p.Identity
	} else {
		j.main = proc.Identity{PID: int(pid)}
	}
	go func() {
		cmd.Wait()
		j.status <- exitStatus{code: cmd.ProcessState.ExitCode()}
	}()
	return nil
}

func (j *jobContainer) mainIdentity() proc.Identity { return j.main }
func (j *jobContainer) describe() string            { return "job object" }
func (j *jobContainer) exited() <-chan exitStatus   { return j.status }

func (j *jobContainer) members() ([]proc.Process, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		return nil, nil // closing a KILL_ON_JOB_CLOSE job ends its processes
	}
	pids, err := j.job.Pids()
	if err != nil {
		return nil, err
	}
	in := make(map[int]bool, len(pids))
	for _, p := range pids {
		in[int(p)] = true
	}
	all, err := proc.List()
	if err != nil {
		return nil, err
	}
	var out []proc.Process
	for _, p := range all {
		if in[p.PID] {
			out = append(out, p)
		}
	}
	return out, nil
}

// signal sends CTRL_BREAK to the command's process group, whatever sig is:
// it is the one graceful stop console programs understand.
func (j *jobContainer) signal(_ []proc.Process, _ syscall.Signal) error {
	return winjob.CtrlBreak(uint32(j.main.PID))
}

func (j *jobContainer) kill(_ []proc.Process) error { return j.job.Terminate(1) }

func (j *jobContainer) settle() int { return 0 }

func (j *jobContainer) peakMemory() (uint64, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		return 0, errors.New("job closed")
	}
	n, err := j.job.PeakMemory()
	if err == nil && n == 0 {
		// A job that ran anything used memory: 0 is an account not kept
		// (Wine keeps none), not a measurement.
		return 0, errors.New("job memory not accounted")
	}
	return n, err
}

func (j *jobContainer) close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		return nil
	}
	j.closed = true
	return j.job.Close()
}
