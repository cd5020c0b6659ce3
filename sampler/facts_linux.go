package sampler

import (
	"bufio"
	"os"
	"runtime"
	"strings"

	"golang.org/x/sys/unix"
)

// hostFacts are the host's name and platform, read once: OS, kernel release
// and architecture, with the distribution from os-release when there is one
// ("linux-6.1.0-x86_64 (debian 12)"). gopsutil would run lsb_release(1) for
// the distribution, at a cost of 80 ms of CPU and a child process.
func hostFacts() (hostname, platform string) {
	hostname, _ = os.Hostname()
	platform = runtime.GOOS + "-" + runtime.GOARCH
	var u unix.Utsname
	if unix.Uname(&u) == nil {
		platform = "linux-" + unix.ByteSliceToString(u.Release[:]) + "-" + unix.ByteSliceToString(u.Machine[:])
	}
	if id, version := osRelease(); id != "" {
		platform += " (" + strings.TrimSpace(id+" "+version) + ")"
	}
	return hostname, platform
}

// osRelease reads ID and VERSION_ID from os-release(5).
func osRelease() (id, version string) {
	for _, path := range []string{"/etc/os-release", "/usr/lib/os-release"} {
		f, err := os.Open(path)
		if err != nil {
			continue
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			k, v, ok := strings.Cut(sc.Text(), "=")
			if !ok {
				continue
			}
			v = strings.Trim(v, `"'`)
			switch k {
			case "ID":
				id = v
			case "VERSION_ID":
				version = v
			}
		}
		return id, version
	}
	return "", ""
}
