//go:build unix

package proc

import "syscall"

// Reading /proc/PID/stat of a process that exits mid-read fails with ESRCH.
var errESRCH = syscall.ESRCH
