package cgroup

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// freezeWait bounds how long a kill waits for the group to freeze: a member
// stuck in the kernel can hold it in "freezing", and the kill goes on
// without the freeze rather than not at all.
const freezeWait = 100 * time.Millisecond

// Kill kills every process in the run's cgroup and waits until it is empty
// or deadline passes. Where the kernel has cgroup.kill (5.14+), one write
// does it, members that fork meanwhile included. Elsewhere the group is
// frozen, so that no member can fork or exit while it is listed, each
// member is sent SIGKILL, and the group is thawed for the kills to land;
// again until it is empty.
func (g *Group) Kill(deadline time.Time) error {
	if g.paths.Unified != "" {
		err := writeFile(filepath.Join(g.paths.Unified, "cgroup.kill"), "1")
		if err == nil {
			return g.waitEmpty(deadline)
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("kill cgroup %s: %w", g.paths.Unified, err)
		}
	}
	for {
		if err := g.killEach(); err != nil {
			return err
		}
		err := g.waitEmpty(earlier(deadline, time.Now().Add(20*time.Millisecond)))
		if err == nil || time.Now().After(deadline) {
			return err
		}
	}
}

// earlier is the earlier of two times.
func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// killEach sends SIGKILL to every member once, inside a freeze.
func (g *Group) killEach() error {
	frozen, thaw := g.freeze()
	defer thaw()
	pids, err := g.Procs()
	if err != nil {
		return err
	}
	// A pid read from cgroup.procs may name a stranger by the time it is
	// signalled, if the member exited meanwhile and the pid was reused. A
	// pidfd pins the process it was opened on: if the pid is still listed
	// after the pidfds are open, each names the member listed.
	fds := make(map[int]int, len(pids))
	defer func() {
		for _, fd := range fds {
			unix.Close(fd)
		}
	}()
	pidfds := true
	for _, pid := range pids {
		fd, err := unix.PidfdOpen(pid, 0)
		if errors.Is(err, unix.ENOSYS) {
			pidfds = false // before 5.3: the freeze is all that holds the pids
			break
		}
		if err == nil {
			fds[pid] = fd
		}
	}
	if !pidfds {
		if !frozen {
			return fmt.Errorf("kill cgroup %s: neither pidfds nor a freezer to kill its members safely", g.membership())
		}
		for _, pid := range pids {
			syscall.Kill(pid, syscall.SIGKILL)
		}
		return nil
	}
	still, err := g.Procs()
	if err != nil {
		return err
	}
	for _, pid := range still {
		if fd, ok := fds[pid]; ok {
			unix.PidfdSendSignal(fd, unix.SIGKILL, nil, 0)
		}
	}
	return nil
}

// freeze freezes the group where a freezer is at hand and reports whether
// it froze; thaw undoes it (SIGKILLs sent meanwhile land then).
func (g *Group) freeze() (frozen bool, thaw func()) {
	var file, on, off string
	var isFrozen func() bool
	switch {
	case g.paths.Unified != "":
		file, on, off = filepath.Join(g.paths.Unified, "cgroup.freeze"), "1", "0"
		isFrozen = func() bool { v, _ := eventField(g.paths.Unified, "frozen"); return v == "1" }
	case g.paths.Freezer != "":
		file, on, off = filepath.Join(g.paths.Freezer, "freezer.state"), "FROZEN", "THAWED"
		isFrozen = func() bool {
			b, _ := os.ReadFile(file)
			return strings.TrimSpace(string(b)) == "FROZEN"
		}
	default:
		return false, func() {}
	}
	if writeFile(file, on) != nil {
		return false, func() {}
	}
	thaw = func() { writeFile(file, off) }
	for end := time.Now().Add(freezeWait); ; time.Sleep(time.Millisecond) {
		if isFrozen() {
			return true, thaw
		}
		if time.Now().After(end) {
			return false, thaw
		}
	}
}

// waitEmpty waits until the group has no member or deadline passes.
func (g *Group) waitEmpty(deadline time.Time) error {
	for {
		populated, err := g.Populated()
		if err != nil {
			return fmt.Errorf("kill cgroup %s: %w", g.membership(), err)
		}
		if !populated {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("cgroup %s still has members after its kill", g.membership())
		}
		time.Sleep(2 * time.Millisecond)
	}
}
