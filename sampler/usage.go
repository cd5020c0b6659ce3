package sampler

import (
	"time"

	"github.com/soakrun/soakrun/proc"
)

// usage is what one member uses at one instant. Each group of fields has
// its own flag: a platform that cannot read a figure leaves it unset, and
// the snapshot says null for it rather than 0.
type usage struct {
	CPUTime time.Duration
	HasCPU  bool

	RSSBytes uint64
	HasRSS   bool

	Threads    int
	HasThreads bool

	Handles    int // open fds on Unix, handles on Windows
	HasHandles bool

	IOReadBytes, IOWriteBytes uint64
	HasIO                     bool

	// Gone is set when the member exited between the listing and the read:
	// it is no longer part of the tree, rather than a member of unknown size.
	Gone bool
	// Unread is set when the member could not be read for want of file
	// descriptors: the tree's sums then leave out a member they cannot
	// see, and the snapshot says so (process_unread).
	Unread bool
}

// fromTable takes what the process table listing already read.
func fromTable(p proc.Process) usage {
	if !p.HasUsage {
		return usage{}
	}
	return usage{
		CPUTime: p.CPUTime, HasCPU: true,
		RSSBytes: p.RSSBytes, HasRSS: true,
		Threads: p.Threads, HasThreads: true,
	}
}

// usageReader reads members' usage. It may keep files open between samples;
// sweep lets go of those of members not read since the previous sweep.
type usageReader interface {
	read(p proc.Process) usage
	sweep()
}

// usageFunc is a usageReader that keeps nothing.
type usageFunc func(proc.Process) usage

func (f usageFunc) read(p proc.Process) usage { return f(p) }
func (usageFunc) sweep()                      {}
