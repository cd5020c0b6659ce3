package supervisor

import (
	"errors"
	"fmt"
)

// CgroupMode says whether the tree is held in a cgroup of its own, the
// kernel's account of every member, where the system has cgroups (Linux).
type CgroupMode int

const (
	// CgroupAuto uses a cgroup where one can be had without disturbing
	// anyone, and the process group (with subreaper) where none can.
	CgroupAuto CgroupMode = iota
	// CgroupOff never makes a cgroup.
	CgroupOff
	// CgroupRequired runs the command only in a cgroup: Start fails with
	// ErrNoCgroup, and nothing runs, where none can be had.
	CgroupRequired
)

// ErrNoCgroup: a cgroup was required and none could be had.
var ErrNoCgroup = errors.New("no cgroup for the run")

// ParseCgroupMode reads "auto", "off" or "required".
func ParseCgroupMode(s string) (CgroupMode, error) {
	switch s {
	case "auto":
		return CgroupAuto, nil
	case "off":
		return CgroupOff, nil
	case "required":
		return CgroupRequired, nil
	}
	return 0, fmt.Errorf("%q is not auto, off or required", s)
}
