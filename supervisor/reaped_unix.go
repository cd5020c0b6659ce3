//go:build linux || darwin

package supervisor

import "time"

// ReapedCPU is the CPU time of the tree's processes that soakrun itself
// reaped: the command, once it has exited, and the orphans reparented to
// soakrun, each with the CPU of the children it waited for (wait4's
// rusage). No listing sees this CPU once they are gone; the sampler adds
// it to the tree's. ok is false before Start.
//
// The count is the process's since this run started: of two runs at once
// in one program, each counts the other's orphans too.
func (s *Supervisor) ReapedCPU() (cpu time.Duration, ok bool) {
	r := runningReaper.Load()
	if r == nil {
		return 0, false
	}
	s.mu.Lock()
	before := s.reapedBefore
	s.mu.Unlock()
	return r.reapedCPU() - before, true
}
