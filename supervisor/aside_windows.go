package supervisor

import (
	"fmt"
	"os/exec"
	"time"
)

// runAside runs cmd outside the job, and kills it if it outlives timeout.
func (j *jobContainer) runAside(cmd *exec.Cmd, timeout time.Duration) (exitStatus, error) {
	if err := cmd.Start(); err != nil {
		return exitStatus{}, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-done:
		return exitStatus{code: cmd.ProcessState.ExitCode()}, nil
	case <-t.C:
		cmd.Process.Kill()
		<-done
		return exitStatus{code: -1}, fmt.Errorf("%s: killed after %s", cmd.Path, timeout)
	}
}
