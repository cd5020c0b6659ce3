// Package cgroup makes, kills and reads the Linux control group that holds
// one run's tree: the kernel's own account of its members, memory and CPU.
// Elsewhere, and where no cgroup can be had, it offers nothing and the
// supervisor falls back to its process-group containment.
package cgroup

// Paths names the directories of one run's cgroup, one per hierarchy it
// lives in. An empty field means that hierarchy is not available to the run.
type Paths struct {
	// Unified is the cgroup v2 directory: cgroup.procs, cgroup.kill,
	// cgroup.events, cpu.stat, the *.pressure files, and whichever of
	// memory.*, pids.* and io.stat its controllers provide.
	Unified string

	// The cgroup v1 controller directories, used for what the unified
	// directory lacks (on a hybrid host, every controller).
	Memory, Pids, CPUAcct, Freezer, Blkio string
}
