package testproc

import "time"

// cowPool needs Linux's raw clone; macOS has no pool role.
func cowPool(mb, workers, mbPerS int, d time.Duration, forever bool) int {
	fail("cow-pool runs on Linux only")
	return 2
}
