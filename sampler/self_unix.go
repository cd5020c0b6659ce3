//go:build unix

package sampler

import (
	"fmt"
	"syscall"
	"time"
)

func selfUsage() (Self, error) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return Self{}, fmt.Errorf("getrusage: %w", err)
	}
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return Self{CPU: cpu, PeakRSSBytes: peakRSS(&ru)}, nil
}

// ReapedChildrenCPU is the CPU time of every child this process has waited
// for, and of the children they waited for (RUSAGE_CHILDREN). In soakrun,
// whose only children are the command, the guard and, as subreaper, the
// tree's orphans, that is the CPU of the tree's members it reaped, the
// guard's few milliseconds aside once the guard has exited.
func ReapedChildrenCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
