//go:build !linux

package cgroup

import (
	"fmt"
	"runtime"
)

// Host is where the kernel tells a process about its cgroups; only Linux
// has any.
type Host struct {
	MountInfo  string
	SelfCgroup string
}

// Group is a run's cgroup; none is ever made here.
type Group struct{}

// Create fails: cgroups are Linux's.
func Create(Host, string) (*Group, error) {
	return nil, fmt.Errorf("%w: %s has no cgroups", ErrUnavailable, runtime.GOOS)
}
