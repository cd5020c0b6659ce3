//go:build !linux

package sampler

import "time"

// cpuOf runs f and returns its wall time, the nearest there is to its CPU
// time here. Only Linux budgets its reads by it.
func cpuOf(f func()) time.Duration {
	start := time.Now()
	f()
	return time.Since(start)
}
