//go:build linux || darwin

package supervisor

import (
	"errors"
	"os"
	"os/exec"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/soakrun/soakrun/proc"
)

// groupContainer holds the tree in a process group of its own. Members are
// soakrun's descendants: on Linux, as subreaper, that is the whole tree
// however it forks; on macOS, without one, members of the group and members
// seen before are followed too (see tracker).
type groupContainer struct {
	reaper *reaper
	main   proc.Identity
	status <-chan exitStatus
	// why says which containment runs and, without a cgroup, why none.
	why string

	guard    *guard
	guardEnv []string // what else the guard is told at its start

	// Where a cgroup holds the tree, the command is born in it: cloned into
	// the v2 directory (cgroupFD, when useCgroupFD), and moved into the v1
	// directories (and the v2 one, on kernels before 5.7) by the exec
	// trampoline before it execs (cgroupJoin).
	useCgroupFD bool
	cgroupFD    int
	cgroupJoin  []string

	// foreground keeps the command in soakrun's process group (see
	// Supervisor.Foreground): the group then marks no member.
	foreground bool

	// user, if set, is who the command and commands run aside run as.
	user *User

	mu      sync.Mutex
	table   *proc.Table
	tracker *tracker
	groups  *treeGroups
	// aside are the process groups of commands run beside the tree
	// (runAside), never its members.
	aside map[int]bool
}

func newGroupContainer(why string) (*groupContainer, error) {
	r, err := startReaper()
	if err != nil {
		return nil, err
	}
	// Until the tree is known, a listing of the host keeps files for this
	// process alone (a cgroup's members are read by pid, and kept).
	table := proc.NewTable()
	table.KeepOnly([]int{os.Getpid()})
	return &groupContainer{reaper: r, table: table, why: "process group: " + why, aside: map[int]bool{}}, nil
}

func (g *groupContainer) start(cmd *exec.Cmd) error {
	others := g.programsChildren()
	// The guard first: from the command's first instant, soakrun's death
	// does not free the tree.
	gd, err := startGuard(g.reaper, append(g.guardEnv, othersEnv(others))...)
	if err != nil {
		return err
	}
	g.guard = gd
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: !g.foreground}
	g.bornInCgroup(cmd.SysProcAttr)
	id, status, err := g.launch(cmd)
	g.main, g.status = id, status
	// The command leads its own group, so the group id is its pid; in the
	// foreground the group is soakrun's own, and follows nothing.
	pgid := id.PID
	if g.foreground {
		pgid = 0
	}
	g.tracker = newTracker(proc.Identity{PID: os.Getpid()}, false, pgid)
	g.tracker.others = others
	g.groups = newTreeGroups(syscall.Getpgrp())
	g.groups.add(pgid)
	return err
}

// programsChildren are the children this process has before the run's
// command starts: in a program that uses the supervisor as a library, its
// own (a server a test started, another run's command). They and their
// descendants are not the tree, and the reaper leaves them to their owner.
func (g *groupContainer) programsChildren() map[proc.Identity]bool {
	all, err := proc.List()
	if err != nil {
		return nil
	}
	return g.reaper.leaveAlone(all)
}

// runAs has the command, and commands run aside, run as u.
func (g *groupContainer) runAs(u *User) { g.user = u }

// stayInForeground keeps the command in soakrun's process group.
func (g *groupContainer) stayInForeground() { g.foreground = true }

func (g *groupContainer) logOrphans(logf func(string, ...any)) { g.reaper.logOrphans(logf) }

func (g *groupContainer) mainIdentity() proc.Identity { return g.main }
func (g *groupContainer) describe() string            { return g.why }
func (g *groupContainer) exited() <-chan exitStatus   { return g.status }

func (g *groupContainer) members() ([]proc.Process, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	// A listing that could not read every process still names the rest:
	// they are members, and the error says the tree may be larger.
	all, err := g.table.List()
	if err != nil && proc.Unread(err) == 0 {
		return nil, err
	}
	ms := g.notAside(g.tracker.members(all, err == nil))
	if g.guard != nil {
		ms = slices.DeleteFunc(ms, func(p proc.Process) bool { return p.Identity == g.guard.id })
		g.guard.tell(ms)
	}
	g.groups.note(ms, err == nil)
	// The members' files are kept, and this process's, the parent of the
	// command and of every orphan: the rest of the host is read afresh.
	g.table.KeepOnly(append(pidsOf(ms), os.Getpid()))
	return ms, err
}

// signal sends sig to each member, and to the tree's process groups as a
// whole (see treeGroups), then SIGCONT likewise.
func (g *groupContainer) signal(members []proc.Process, sig syscall.Signal) error {
	return errors.Join(g.signalWhole(members, sig), g.continueWhole(members, sig))
}

func (g *groupContainer) kill(members []proc.Process) error {
	return g.signalWhole(members, syscall.SIGKILL)
}

// signalWhole sends sig to the tree's groups, which reaches what a listing
// missed, and to each member outside the groups it reached, so each gets
// it once.
func (g *groupContainer) signalWhole(members []proc.Process, sig syscall.Signal) error {
	g.mu.Lock()
	reached, err := g.groups.signal(sig)
	g.mu.Unlock()
	rest := slices.DeleteFunc(slices.Clone(members), func(p proc.Process) bool { return reached[p.PGID] })
	return errors.Join(err, signalAll(rest, sig))
}

func (g *groupContainer) continueWhole(members []proc.Process, sig syscall.Signal) error {
	if !continues(sig) {
		return nil
	}
	return g.signalWhole(members, syscall.SIGCONT)
}

// settle reaps what the tree left. A multi-threaded process shows as a
// zombie as soon as its main thread exits, but can be reaped only once all
// its threads have: so it drains until no zombie child is left, for at most
// a second.
func (g *groupContainer) settle() int {
	deadline := time.Now().Add(time.Second)
	for {
		n := g.reaper.drain()
		if !g.zombieChildren() || time.Now().After(deadline) {
			return n
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (g *groupContainer) zombieChildren() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	all, err := g.table.List()
	if err != nil {
		return false
	}
	self := os.Getpid()
	return slices.ContainsFunc(all, func(p proc.Process) bool { return p.PPID == self && p.Zombie && !g.reaper.isStranger(p) })
}

func (g *groupContainer) close() error {
	g.reaper.logOrphans(nil)
	var err error
	if g.guard != nil {
		err = g.guard.stop()
		g.guard = nil
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	return errors.Join(err, g.table.Close())
}
