package sampler

import "syscall"

// peakRSS is getrusage's ru_maxrss, in bytes on macOS.
func peakRSS(ru *syscall.Rusage) uint64 { return uint64(ru.Maxrss) }
