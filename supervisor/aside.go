package supervisor

import (
	"errors"
	"os/exec"
	"time"
)

// RunAside runs cmd beside the tree: it is no member of it (a stop never
// signals it, a listing never counts it), it is waited for at most timeout
// and then killed, with what it started where the platform keeps that
// together. It returns cmd's exit code, -1 when a signal ended it. Call it
// between Start and the end of Wait: it is how soakrun runs a user's hook
// (py-spy, gcore) against a live tree. With User set, cmd runs as
// that user, as the command does.
func (s *Supervisor) RunAside(cmd *exec.Cmd, timeout time.Duration) (int, error) {
	s.mu.Lock()
	c := s.c
	s.mu.Unlock()
	a, ok := c.(interface {
		runAside(*exec.Cmd, time.Duration) (exitStatus, error)
	})
	if !ok {
		return -1, errors.New("not started")
	}
	if s.User != nil {
		cmd.Env = environFor(cmd.Env, s.User)
	}
	st, err := a.runAside(cmd, timeout)
	return st.code, err
}

// beforeStop calls BeforeStop with the live members, and waits for it at
// most the grace: a stop is never later than the grace for it.
func (s *Supervisor) beforeStop(c container) {
	if s.BeforeStop == nil {
		return
	}
	members, _ := c.members() // what a short listing missed, the hook misses
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.BeforeStop(Live(members))
	}()
	t := time.NewTimer(s.killAfter())
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		s.logf("before the stop: still at it after %s; stopping anyway", s.killAfter())
	}
}
