//go:build linux || darwin

package supervisor

import (
	"fmt"
	"os/exec"
	"slices"
	"syscall"
	"time"

	"github.com/soakrun/soakrun/proc"
)

// runAside runs cmd beside the tree, not in it: in a process group of its
// own, which is never counted as the tree's, reaped by the reaper like
// every child, and killed with its group if it outlives timeout.
func (g *groupContainer) runAside(cmd *exec.Cmd, timeout time.Duration) (exitStatus, error) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if g.user != nil {
		cmd.SysProcAttr.Credential = g.user.credential()
	}
	g.mu.Lock()
	id, status, err := g.reaper.startAndExpect(cmd)
	if err == nil || id.PID != 0 {
		g.aside[id.PID] = true
		g.reaper.keepApart(id.PID)
	}
	g.mu.Unlock()
	if err != nil && id.PID == 0 {
		return exitStatus{}, err
	}
	defer func() {
		g.mu.Lock()
		defer g.mu.Unlock()
		delete(g.aside, id.PID)
	}()
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case st := <-status:
		syscall.Kill(-id.PID, syscall.SIGKILL) // what it left in its group
		return st, nil
	case <-t.C:
		syscall.Kill(-id.PID, syscall.SIGKILL)
		<-status
		return exitStatus{code: -1, signal: syscall.SIGKILL}, fmt.Errorf("%s: killed after %s", cmd.Path, timeout)
	}
}

// notAside leaves out of a listing of the tree the processes in the groups
// of commands run aside.
func (g *groupContainer) notAside(ms []proc.Process) []proc.Process {
	if len(g.aside) == 0 {
		return ms
	}
	return slices.DeleteFunc(ms, func(p proc.Process) bool { return g.aside[p.PGID] })
}
