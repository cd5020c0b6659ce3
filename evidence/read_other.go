//go:build !linux && !windows

package evidence

import (
	"errors"

	"github.com/soakrun/soakrun/proc"
)

// readProcess has no smaps to read outside Linux.
func readProcess(proc.Process) (Process, error) {
	return Process{}, errors.New("memory by kind of mapping is read on Linux only")
}
