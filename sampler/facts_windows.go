package sampler

import (
	"context"
	"fmt"
	"runtime"
	"strings"

	"github.com/shirou/gopsutil/v4/host"
)

// hostFacts are the host's name and platform, read once: OS, kernel version
// and architecture, with the distribution when there is one
// ("linux-6.1.0-x86_64 (debian 12.5)").
func hostFacts() (hostname, platform string) {
	info, err := host.InfoWithContext(context.Background())
	if err != nil {
		return "", runtime.GOOS + "-" + runtime.GOARCH
	}
	platform = strings.Join([]string{info.OS, info.KernelVersion, info.KernelArch}, "-")
	if info.Platform != "" {
		platform += fmt.Sprintf(" (%s %s)", info.Platform, info.PlatformVersion)
	}
	return info.Hostname, platform
}
