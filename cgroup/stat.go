package cgroup

import (
	"errors"
	"time"
)

// ErrFileParse is wrapped by every error of a parser: the file was read but
// does not say what its kernel documentation says it should.
var ErrFileParse = errors.New("cannot parse cgroup file")

// Stat is the kernel's account of one cgroup at one instant, read from
// whichever hierarchy provides each figure. A nil field means its file is
// missing (no such controller, or a kernel too old), never zero.
type Stat struct {
	// MemoryBytes is the charge: every page the kernel bills to the group,
	// anonymous, page cache and kernel memory alike (memory.current; v1
	// memory.usage_in_bytes).
	MemoryBytes *uint64
	// AnonBytes and FileBytes are the charge's anonymous memory and its
	// page cache (memory.stat anon and file; v1 total_rss and total_cache).
	// ShmemBytes (tmpfs and shared memory) is counted in FileBytes but
	// cannot be reclaimed without swap.
	AnonBytes, FileBytes, ShmemBytes *uint64
	// ReclaimableKernelBytes is the kernel memory that comes and goes with
	// the page cache (memory.stat slab_reclaimable): writing a file grows
	// it by about 3% of the bytes written, and the kernel frees it with
	// the cache. cgroup v1 does not tell reclaimable kernel memory from
	// the rest, so there it is all of the kernel's charge
	// (memory.kmem.usage_in_bytes), and a v1 group's NoCacheBytes holds
	// no kernel memory at all.
	ReclaimableKernelBytes *uint64
	// PeakMemoryBytes is the largest charge since the group was made
	// (memory.peak, Linux 5.19+; v1 memory.max_usage_in_bytes).
	PeakMemoryBytes *uint64

	// Tasks and PeakTasks count the group's tasks (threads included) now
	// and at most (pids.current, pids.peak).
	Tasks, PeakTasks *uint64

	// CPU is the CPU time of every task that ever ran in the group, the
	// dead included (cpu.stat usage_usec; v1 cpuacct.usage).
	CPU *time.Duration

	// IOReadBytes and IOWriteBytes are the bytes the group's I/O moved on
	// every block device (io.stat rbytes and wbytes; v1 blkio's
	// throttle.io_service_bytes_recursive, which sees no buffered writes
	// because v1 charges writeback to the root).
	IOReadBytes, IOWriteBytes *uint64

	// OOMKills counts the group's tasks killed by the OOM killer
	// (memory.events oom_kill; v1 memory.oom_control oom_kill, Linux 4.13+).
	OOMKills *uint64

	// MemoryPressure and CPUPressure are the group's pressure stall
	// information (memory.pressure, cpu.pressure), where the kernel keeps
	// it (CONFIG_PSI, cgroup v2).
	MemoryPressure, CPUPressure *Pressure
}

// Pressure is one PSI file: the share of wall time in which some (or all)
// of the group's runnable tasks stalled on a resource.
type Pressure struct {
	// SomeAvg10 and FullAvg10 are percentages over the last ten seconds;
	// HasFull is false for a file with no "full" line (cpu.pressure before
	// Linux 5.13).
	SomeAvg10, FullAvg10 float64
	HasFull              bool
	// SomeTotal and FullTotal are the stall time since the group was made.
	SomeTotal, FullTotal time.Duration
}

// NoCacheBytes is the charge less its reclaimable page cache (FileBytes
// without ShmemBytes) and the reclaimable kernel memory that goes with it:
// the memory the group's tasks hold themselves, which a workload that
// writes files does not grow the way a leak does. It is nil unless the
// charge and its breakdown are known.
func (s Stat) NoCacheBytes() *uint64 {
	if s.MemoryBytes == nil || s.FileBytes == nil {
		return nil
	}
	cache := *s.FileBytes
	if s.ShmemBytes != nil {
		cache -= min(cache, *s.ShmemBytes)
	}
	if s.ReclaimableKernelBytes != nil {
		cache += *s.ReclaimableKernelBytes
	}
	v := *s.MemoryBytes - min(*s.MemoryBytes, cache)
	return &v
}
