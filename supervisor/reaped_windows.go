package supervisor

import "time"

// ReapedCPU is Unix's: on Windows nothing is reaped, and the job object
// counts the CPU of every process it held.
func (s *Supervisor) ReapedCPU() (time.Duration, bool) { return 0, false }
