//go:build !linux

package sampler

import (
	"context"

	"github.com/shirou/gopsutil/v4/process"
)

// cmdline reads a process's arguments.
func cmdline(pid int) ([]string, bool) {
	args, err := (&process.Process{Pid: int32(pid)}).CmdlineSliceWithContext(context.Background())
	return args, err == nil && len(args) > 0
}
