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
