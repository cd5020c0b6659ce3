package testproc

import (
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/soakrun/soakrun/cgroup"
)

var cgroupSeq atomic.Int64

// Cgroup makes a fresh cgroup for one test below this process's own
// cgroup in every hierarchy it can write (the unified one and the v1
// memory, pids, cpuacct, blkio and freezer ones), as cgroup.Create makes a
// run's, and removes it when the test ends. It skips the test, saying why,
// where none can be made.
func Cgroup(tb testing.TB) cgroup.Paths {
	tb.Helper()
	name := fmt.Sprintf("soakrun-test-%d-%d", os.Getpid(), cgroupSeq.Add(1))
	g, err := cgroup.Create(cgroup.Host{}, name)
	if err != nil {
		tb.Skipf("no cgroup to test in: %v", err)
	}
	tb.Cleanup(func() { removeCgroup(tb, g) })
	return g.Paths()
}

// removeCgroup removes a test's cgroup once the kernel has let go of its
// last task: a killed task leaves its cgroup a moment after it is reaped,
// which on a loaded machine can take longer than Remove's own second.
func removeCgroup(tb testing.TB, g *cgroup.Group) {
	var err error
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if err = g.Remove(); err == nil {
			break
		}
	}
	if err = errors.Join(err, g.Leave(os.Getpid())); err != nil {
		tb.Errorf("remove test cgroup: %v", err)
	}
}
