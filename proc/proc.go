// Package proc reads the operating system's process table: who is alive, who
// is whose parent, and what each one uses. It only reads; signalling is the
// supervisor's business.
package proc

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ErrNotFound is returned for a pid that names no process.
var ErrNotFound = errors.New("no such process")

// Identity names one process for its whole life. A pid alone is not enough:
// pids are recycled, so the start time tells a process from a later one that
// happens to get the same number.
type Identity struct {
	PID int
	// Start is the process start time in the platform's own unit (clock
	// ticks since boot on Linux, microseconds since the epoch on macOS,
	// 100 ns FILETIME units on Windows). Only equality is meaningful.
	Start uint64
}

func (id Identity) String() string { return fmt.Sprintf("%d@%d", id.PID, id.Start) }

// ParseIdentity reads an Identity as String writes it ("PID@START").
func ParseIdentity(s string) (Identity, error) {
	pid, start, ok := strings.Cut(s, "@")
	p, err1 := strconv.Atoi(pid)
	st, err2 := strconv.ParseUint(start, 10, 64)
	if !ok || err1 != nil || err2 != nil || p <= 0 {
		return Identity{}, fmt.Errorf("bad identity %q", s)
	}
	return Identity{PID: p, Start: st}, nil
}

// Process is one row of the process table.
type Process struct {
	Identity
	PPID   int
	PGID   int // 0 where the platform has no process groups
	SID    int // 0 where unknown
	Name   string
	Status string // psutil's words: running, sleeping, disk-sleep, stopped, zombie, idle…
	Zombie bool   // exited but not yet reaped by its parent

	// Usage, where the table read gives it cheaply; zero where it does not
	// (see the Has* flags).
	CPUTime  time.Duration // user + system
	RSSBytes uint64
	Threads  int
	HasUsage bool

	// ChildrenCPUTime is the CPU time of the children this process has
	// waited for, and of theirs (cutime + cstime on Linux): CPU that no
	// listing sees once those children are gone. HasChildrenCPU says the
	// platform gives it.
	ChildrenCPUTime time.Duration
	HasChildrenCPU  bool

	// Quiet is set by a Table when the process has not run since the
	// Table's previous listing, which it then repeats instead of reading
	// again. Everything but RSSBytes is as current as a fresh read;
	// RSSBytes may have shrunk since, as the kernel reclaims a sleeper's
	// pages.
	Quiet bool
}

// Get reads one process.
func Get(pid int) (Process, error) { return get(pid) }

// List reads every process visible to the caller. Processes that vanish
// while the table is read are left out, not reported as errors.
func List() ([]Process, error) { return list() }

// Alive reports whether the process named by id still runs: the pid exists,
// has the same start time and is not a zombie.
func Alive(id Identity) bool {
	p, err := Get(id.PID)
	return err == nil && p.Start == id.Start && !p.Zombie
}
