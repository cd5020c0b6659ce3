package sampler

import (
	"time"

	"github.com/soakrun/soakrun/proc"
)

// PSSBudget is the share of one core that reading the tree's proportional
// set size may take. The kernel computes PSS by walking each process's
// page tables under its mmap lock (7.5–8.4 ms for one 309 MB process,
// against 14 µs for statm), so it is read only as often as its last read's
// cost allows: a sweep that took 10 ms of CPU waits 2 s before the next.
const PSSBudget = 0.005

// pssSchedule reads the tree's PSS at the rate PSSBudget allows.
type pssSchedule struct {
	next time.Time // no sweep before this
}

// read sums the members' PSS if a sweep is due, or returns nil.
func (p *pssSchedule) read(members []proc.Process, now time.Time) *float64 {
	if now.Before(p.next) {
		return nil
	}
	bytes, ok, cost := treePSS(members)
	p.next = now.Add(time.Duration(float64(cost) / PSSBudget))
	if !ok {
		return nil
	}
	return mb(bytes)
}
