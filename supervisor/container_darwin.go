package supervisor

import (
	"fmt"
	"syscall"

	"github.com/soakrun/soakrun/cgroup"
)

func newContainer(mode CgroupMode, _ cgroup.Driver, _ string) (container, error) {
	if mode == CgroupRequired {
		return nil, fmt.Errorf("%w: macOS has no cgroups", ErrNoCgroup)
	}
	return newGroupContainer("macOS has no cgroups")
}

// bornInCgroup has nothing to do: macOS has no cgroups.
func (g *groupContainer) bornInCgroup(*syscall.SysProcAttr) {}
