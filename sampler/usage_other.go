//go:build !linux

package sampler

import (
	"context"

	"github.com/shirou/gopsutil/v4/process"

	"github.com/soakrun/soakrun/proc"
)

func newUsageReader() usageReader { return usageFunc(readUsage) }

// readUsage asks gopsutil for each figure the process table listing did not
// give (on Windows: working set, CPU times, handle count and I/O counters).
func readUsage(p proc.Process) usage {
	u := fromTable(p)
	if p.Zombie {
		return u
	}
	ctx := context.Background()
	gp := &process.Process{Pid: int32(p.PID)}
	if !u.HasCPU {
		if t, err := gp.TimesWithContext(ctx); err == nil {
			u.CPUTime, u.HasCPU = secondsDuration(t.User+t.System), true
		}
	}
	if !u.HasRSS {
		if m, err := gp.MemoryInfoWithContext(ctx); err == nil {
			u.RSSBytes, u.HasRSS = m.RSS, true
		}
	}
	if !u.HasCPU && !u.HasRSS {
		if alive, err := process.PidExistsWithContext(ctx, int32(p.PID)); err == nil && !alive {
			return usage{Gone: true}
		}
	}
	if !u.HasThreads && p.Threads > 0 {
		u.Threads, u.HasThreads = p.Threads, true
	}
	if !u.HasThreads {
		if n, err := gp.NumThreadsWithContext(ctx); err == nil {
			u.Threads, u.HasThreads = int(n), true
		}
	}
	if n, err := gp.NumFDsWithContext(ctx); err == nil {
		u.Handles, u.HasHandles = int(n), true
	}
	if io, err := gp.IOCountersWithContext(ctx); err == nil {
		u.IOReadBytes, u.IOWriteBytes, u.HasIO = io.ReadBytes, io.WriteBytes, true
	}
	return u
}
