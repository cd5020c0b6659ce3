package sampler

import (
	"os"
	"runtime"

	"golang.org/x/sys/unix"
)

// On macOS gopsutil runs sw_vers, ioreg and netstat for these figures. A
// child of soakrun would be reaped by the supervisor's reaper and counted as
// a member of the tree, so they are read without one, or not at all.

func hostFacts() (hostname, platform string) {
	hostname, _ = os.Hostname()
	platform = runtime.GOOS + "-" + runtime.GOARCH
	var u unix.Utsname
	if unix.Uname(&u) == nil {
		platform = "darwin-" + unix.ByteSliceToString(u.Release[:]) + "-" + unix.ByteSliceToString(u.Machine[:])
	}
	return hostname, platform
}

// networkBytes is unknown on macOS: gopsutil would run netstat(1).
func networkBytes() (sent, recv *uint64) { return nil, nil }
