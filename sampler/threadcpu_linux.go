package sampler

import (
	"runtime"
	"time"

	"golang.org/x/sys/unix"
)

// cpuOf runs f on one locked thread and returns the CPU time it took, the
// kernel's work for it included, to the nanosecond: what a budget of a
// core's share is spent on. The wall time would count the waits of a
// loaded machine; getrusage's per-thread figure moves in scheduler ticks.
func cpuOf(f func()) time.Duration {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	start := threadCPU()
	f()
	return threadCPU() - start
}

func threadCPU() time.Duration {
	var ts unix.Timespec
	if unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts) != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}
