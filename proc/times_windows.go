package proc

import (
	"fmt"
	"time"

	"golang.org/x/sys/windows"
)

// Times reads, through an open handle, when the process was created (a
// FILETIME count: the Windows half of an Identity) and the CPU time it has
// used in kernel and user mode.
func Times(h windows.Handle) (start uint64, cpu time.Duration, err error) {
	var created, exited, kernel, user windows.Filetime
	if err := windows.GetProcessTimes(h, &created, &exited, &kernel, &user); err != nil {
		return 0, 0, fmt.Errorf("GetProcessTimes: %w", err)
	}
	// FILETIME counts 100 ns units.
	return filetime(created), time.Duration(filetime(kernel)+filetime(user)) * 100, nil
}

func filetime(f windows.Filetime) uint64 { return uint64(f.HighDateTime)<<32 | uint64(f.LowDateTime) }
