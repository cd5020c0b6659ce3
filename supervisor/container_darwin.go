package supervisor

import "fmt"

func newContainer(mode CgroupMode) (container, error) {
	if mode == CgroupRequired {
		return nil, fmt.Errorf("%w: macOS has no cgroups", ErrNoCgroup)
	}
	return newGroupContainer("macOS has no cgroups")
}
