//go:build !linux

package sampler

import (
	"time"

	"github.com/soakrun/soakrun/proc"
)

// treePSS is Linux's: elsewhere there is no PSS to read. It says it took
// a minute, so it is not asked again soon.
func treePSS([]proc.Process) (uint64, bool, time.Duration) { return 0, false, time.Minute }
