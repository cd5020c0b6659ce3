//go:build !linux

package sampler

import (
	"context"
	"os"

	"github.com/shirou/gopsutil/v4/process"
)

// selfNow reads soakrun's resident memory and open handles now.
func selfNow() (rss *uint64, fds *int) {
	ctx := context.Background()
	p := &process.Process{Pid: int32(os.Getpid())}
	if m, err := p.MemoryInfoWithContext(ctx); err == nil {
		rss = ptr(m.RSS)
	}
	if n, err := p.NumFDsWithContext(ctx); err == nil {
		fds = ptr(int(n))
	}
	return rss, fds
}
