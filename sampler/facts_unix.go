//go:build linux || darwin

package sampler

import (
	"os"
	"runtime"
	"strings"

	"golang.org/x/sys/unix"
)

// hostFacts are the host's name and platform, read once: OS, kernel release
// and architecture, with the distribution when there is one
// ("linux-6.1.0-x86_64 (debian 12)"). They are read without gopsutil, which
// would run lsb_release(1) on Linux and sw_vers(1) on macOS: 80 ms of CPU,
// and a child that the supervisor's reaper would count as part of the tree.
func hostFacts() (hostname, platform string) {
	hostname, _ = os.Hostname()
	platform = runtime.GOOS + "-" + runtime.GOARCH
	var u unix.Utsname
	if unix.Uname(&u) == nil {
		platform = runtime.GOOS + "-" + unix.ByteSliceToString(u.Release[:]) + "-" + unix.ByteSliceToString(u.Machine[:])
	}
	if id, version := distribution(); id != "" {
		platform += " (" + strings.TrimSpace(id+" "+version) + ")"
	}
	return hostname, platform
}
