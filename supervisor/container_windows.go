package supervisor

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"syscall"

	"github.com/soakrun/soakrun/cgroup"

	"golang.org/x/sys/windows"

	"github.com/soakrun/soakrun/proc"
	"github.com/soakrun/soakrun/winjob"
)

// jobContainer holds the tree in a job object: the command starts
// suspended, joins the job, then runs, so nothing it starts is ever outside.
// It starts on a console of its own, without a window, so that the graceful
// stop can be CTRL_C: that event goes to whole consoles, never to one
// process group, and soakrun's own console (if it has one) is its user's.
type jobContainer struct {
	job    *winjob.Job
	main   proc.Identity
	status chan exitStatus

	mu     sync.Mutex
	closed bool // the job is gone, and with it every member
}

func newContainer(mode CgroupMode, _ cgroup.Driver, _ string) (container, error) {
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
	// CREATE_NO_WINDOW makes a new console that has no window at all;
	// CREATE_NEW_CONSOLE with SW_HIDE would also hide the main window of a
	// GUI command, and is shown anyway where Windows Terminal hosts new
	// consoles. The command's standard handles are still soakrun's
	// (os/exec passes them with STARTF_USESTDHANDLES), so nothing it
	// writes goes to that console. No CREATE_NEW_PROCESS_GROUP: it would
	// start the command with CTRL_C disabled.
	cmd.SysProcAttr = &syscall.SysProcAttr{CreationFlags: windows.CREATE_SUSPENDED | windows.CREATE_NO_WINDOW}
	restore := winjob.EnableCtrlCInChildren()
	err := cmd.Start()
	restore()
	if err != nil {
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
		if in[p.PID] && !j.isConsoleHost(p) {
			out = append(out, p)
		}
	}
	return out, nil
}

// isConsoleHost tells the host of the console soakrun gave the command
// (conhost.exe, which the command starts as its child, inside the job) from
// the tree: it is soakrun's doing, not the workload's, and it lives on
// after the command only while a member still uses the console, so it is
// neither sampled, nor a leftover, nor waited for. Closing the job ends it.
func (j *jobContainer) isConsoleHost(p proc.Process) bool {
	return p.PPID == j.main.PID && p.Start >= j.main.Start && strings.EqualFold(p.Name, "conhost.exe")
}

// signal sends the console event sig stands for (see consoleEvent) to the
// consoles of the tree; the kill signal terminates the job instead. An error
// wrapping errNotDelivered means no member got the event.
func (j *jobContainer) signal(members []proc.Process, sig syscall.Signal) error {
	if sig == killSignal {
		return j.kill(members)
	}
	_, err := sendConsoleEvent(consoleEvent(sig), j.main, members)
	return err
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
