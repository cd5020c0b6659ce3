package testproc

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/soakrun/soakrun/cgroup"
)

var cgroupSeq atomic.Int64

// Cgroup makes a fresh cgroup for one test below this process's own
// cgroup in every hierarchy it can write (the unified one and the v1
// memory, pids, cpuacct, blkio and freezer ones), and removes them when the
// test ends. It skips the test, saying why, where none can be made.
func Cgroup(tb testing.TB) cgroup.Paths {
	tb.Helper()
	own, err := ownCgroups()
	if err != nil {
		tb.Skipf("no cgroups to test in: %v", err)
	}
	name := fmt.Sprintf("soakrun-test-%d-%d", os.Getpid(), cgroupSeq.Add(1))
	var p cgroup.Paths
	made := 0
	for _, h := range []struct {
		key string
		dst *string
	}{{"", &p.Unified}, {"memory", &p.Memory}, {"pids", &p.Pids}, {"cpuacct", &p.CPUAcct}, {"blkio", &p.Blkio}, {"freezer", &p.Freezer}} {
		parent, ok := own[h.key]
		if !ok {
			continue
		}
		dir := filepath.Join(parent, name)
		if err := os.Mkdir(dir, 0o755); err != nil {
			continue // read-only, or not delegated to us
		}
		*h.dst = dir
		made++
		tb.Cleanup(func() { removeCgroup(tb, dir) })
	}
	if made == 0 {
		tb.Skipf("no writable cgroup below this process's own (%v)", own)
	}
	return p
}

// removeCgroup removes a test's cgroup once the kernel has let go of its
// last task: a killed task leaves its cgroup a moment after it is reaped.
func removeCgroup(tb testing.TB, dir string) {
	var err error
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if err = os.Remove(dir); err == nil || errors.Is(err, os.ErrNotExist) {
			return
		}
		if !errors.Is(err, syscall.EBUSY) {
			break
		}
	}
	tb.Errorf("remove test cgroup: %v", err)
}

// ownCgroups maps each hierarchy ("" for the unified one, else a v1
// controller's name) to the directory of this process's cgroup in it.
func ownCgroups() (map[string]string, error) {
	mounts := map[string]string{}
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTS
		pre, post, ok := strings.Cut(sc.Text(), " - ")
		fields, tail := strings.Fields(pre), strings.Fields(post)
		if !ok || len(fields) < 5 || len(tail) < 3 || fields[3] != "/" {
			continue
		}
		switch tail[0] {
		case "cgroup2":
			mounts[""] = fields[4]
		case "cgroup":
			for _, o := range strings.Split(tail[2], ",") {
				mounts[o] = fields[4]
			}
		}
	}
	b, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return nil, err
	}
	own := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 {
			continue
		}
		for _, c := range strings.Split(parts[1], ",") {
			if m, ok := mounts[c]; ok {
				own[c] = filepath.Join(m, parts[2])
			}
		}
	}
	if len(own) == 0 {
		return nil, errors.New("no cgroup hierarchy mounted")
	}
	return own, nil
}
