package cgroup

import "fmt"

// Driver says how a run's cgroup is had, as container runtimes name it.
type Driver int

const (
	// DriverAuto tries soakrun's own cgroup first and, where that cannot
	// give the run the memory controller, systemd (where systemd manages
	// the host) or cgroupfs (as root, where it does not).
	DriverAuto Driver = iota
	// DriverOwn makes the run's cgroup below soakrun's own, moving
	// soakrun into a leaf of its own where it is alone there.
	DriverOwn
	// DriverSystemd asks systemd for a transient scope with Delegate=yes,
	// moves soakrun into it, and makes the run's cgroup there.
	DriverSystemd
	// DriverCgroupfs makes the run's cgroup below the nearest ancestor
	// that passes the controllers down, in a directory of soakrun's own.
	DriverCgroupfs
)

var driverNames = []string{"auto", "own", "systemd", "cgroupfs"}

// ParseDriver reads "auto", "own", "systemd" or "cgroupfs".
func ParseDriver(s string) (Driver, error) {
	for i, n := range driverNames {
		if s == n {
			return Driver(i), nil
		}
	}
	return 0, fmt.Errorf("%q is not auto, own, systemd or cgroupfs", s)
}

func (d Driver) String() string {
	if d < 0 || int(d) >= len(driverNames) {
		return fmt.Sprintf("Driver(%d)", int(d))
	}
	return driverNames[d]
}
