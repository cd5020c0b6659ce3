package supervisor

import (
	"errors"
	"fmt"
	"time"
)

// Wait supervises the run to its end: it waits for the command, the timeout,
// an Abort or a stop signal, stops whatever of the tree is left, and returns once no
// member is alive. The error is non-nil only when the tree could not be
// emptied; the Result is filled in either way.
func (s *Supervisor) Wait() (Result, error) {
	s.mu.Lock()
	c, abort := s.c, s.abort
	s.mu.Unlock()
	if c == nil {
		return Result{}, errors.New("not started")
	}
	if !s.CloseLater {
		defer s.Close()
	}

	r := Result{PID: s.main.PID, Started: s.started, Containment: s.Containment()}
	var deadline <-chan time.Time
	if s.Timeout > 0 {
		t := time.NewTimer(s.Timeout - time.Since(s.started))
		defer t.Stop()
		deadline = t.C
	}
	// The status channel holds one value, so it may be read only once: after
	// the command exits by itself, finish must not wait for it again.
	mainDone := c.exited()
	sig := s.signal()
	for passed := true; passed; {
		passed = false
		select {
		case st := <-mainDone:
			s.stopping.Store(true)
			r.ExitStatus, r.Signal = st.code, st.signal
			mainDone = nil
			// A listing that failed or missed members cannot say the
			// tree is empty: the stop then reaches what it could not see.
			left, err := c.members()
			if r.Leftovers = Live(left); err == nil && len(r.Leftovers) == 0 {
				return s.finish(c, r, nil, nil)
			}
			if err != nil {
				s.logf("list leftovers: %v", err)
			}
			s.logf("command exited (%s) leaving %d process(es) behind", describe(st), len(r.Leftovers))
		case <-deadline:
			r.TimedOut, r.TimeoutAt = true, time.Now()
			s.logf("timeout %s reached", s.Timeout)
		case a := <-abort:
			r.Aborted = &a
			s.logf("%s; stopping the tree", a.Reason)
		case got := <-s.Interrupts:
			if timeUp(got) {
				r.TimedOut, r.TimeoutAt = true, time.Now()
				s.logf("received %s; the timeout is up now", got)
				break
			}
			r.Interrupted = got
			sig = forwardedSignal(got, sig)
			s.logf("received %s; stopping the tree", got)
		case got := <-s.Pass:
			passed = true
			if err := passSignal(s.main, got); err != nil {
				s.logf("pass %s to the command: %v", got, err)
			}
		}
	}
	if r.TimedOut || r.Aborted != nil {
		s.beforeStop(c)
	}
	s.stopping.Store(true)
	out, err := windDown(c, sig, s.killAfter(), s.Interrupts, s.logf)
	r.Killed, r.Unkillable = out.killed, out.unkillable
	if r.Interrupted == nil && out.again != nil && !timeUp(out.again) {
		r.Interrupted = out.again
	}
	return s.finish(c, r, mainDone, err)
}

// finish collects the command's status (once the tree is empty it is at
// most a reap away) and whatever is left to reap.
func (s *Supervisor) finish(c container, r Result, mainDone <-chan exitStatus, err error) (Result, error) {
	if mainDone != nil {
		select {
		case st := <-mainDone:
			r.ExitStatus, r.Signal = st.code, st.signal
		case <-time.After(5 * time.Second):
			err = errors.Join(err, errors.New("the command's exit status never arrived"))
		}
	}
	r.OrphansReaped = c.settle()
	r.Ended = time.Now()
	return r, err
}

func describe(st exitStatus) string {
	if st.signal != 0 {
		return "killed by " + signalName(st.signal)
	}
	return fmt.Sprintf("status %d", st.code)
}
