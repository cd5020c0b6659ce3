package supervisor

import (
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/soakrun/soakrun/cgroup"
	"github.com/soakrun/soakrun/proc"
)

// cgroupHost is where cgroups are looked for; tests point it at hosts of
// their own making.
var cgroupHost cgroup.Host

// runs counts the runs this process started, for their cgroups' names.
var runs atomic.Int64

// runName names a run's cgroup (and scope): soakrun-PID, and for a
// program's later runs, which may overlap, soakrun-PID-N.
func runName() string {
	if n := runs.Add(1); n > 1 {
		return fmt.Sprintf("soakrun-%d-%d", os.Getpid(), n)
	}
	return fmt.Sprintf("soakrun-%d", os.Getpid())
}

// newContainer holds the tree in a cgroup of its own where one can be had
// (mode permitting), had with driver, on top of the process group and
// subreaper, which still reap orphans and carry terminal signals. Where
// none can be had the process group alone holds it, as it always has.
// description describes the run to systemd.
func newContainer(mode CgroupMode, driver cgroup.Driver, description string) (container, error) {
	if err := checkProcIsOurs(); err != nil {
		return nil, err
	}
	if mode == CgroupOff {
		return newGroupContainer("cgroups turned off")
	}
	group, err := cgroup.CreateWith(cgroupHost, runName(), driver, description)
	if err != nil {
		why := cgroup.Reason(err)
		if mode == CgroupRequired {
			return nil, fmt.Errorf("%w: %s", ErrNoCgroup, why)
		}
		return newGroupContainer(why)
	}
	if mode == CgroupRequired && !group.HasMemory() {
		err := fmt.Errorf("%w with the memory controller: %s", ErrNoCgroup, group.Describe())
		return nil, errors.Join(err, group.Discard())
	}
	g, err := newGroupContainer("")
	if err != nil {
		return nil, errors.Join(err, group.Discard())
	}
	c := &cgroupContainer{groupContainer: g, group: group}
	g.why = group.Describe()
	g.useCgroupFD, g.cgroupFD = group.FD() >= 0, group.FD()
	g.cgroupJoin = group.JoinDirs()
	g.guardEnv = []string{guardCgroupEnv(group.Handoff())}
	return c, nil
}

// cgroupContainer is a process group whose members are those of a cgroup
// made for the run: the command is born inside it (bornInCgroup on v2, the
// exec trampoline's join on v1), so is every process it starts, and none
// can leave it (only a privileged process could move it out), so the
// kernel, not a walk of parent links, says who belongs to the tree, and
// one write of cgroup.kill ends them all.
type cgroupContainer struct {
	*groupContainer
	group   *cgroup.Group
	removed bool // once the cgroup is gone, the process group's view is left
	// known are the last listing's members: one found dead since is the
	// tree's zombie until it is reaped.
	known map[proc.Identity]bool
}

// bornInCgroup has the command cloned into the run's v2 directory
// (CLONE_INTO_CGROUP): it is a member from its first instant, and so is
// everything it ever starts.
func (g *groupContainer) bornInCgroup(attr *syscall.SysProcAttr) {
	attr.UseCgroupFD, attr.CgroupFD = g.useCgroupFD, g.cgroupFD
}

// members reads the cgroup's processes, and zombies of the tree waiting to
// be reaped (they left the cgroup as they died): a read of cgroup.procs and
// of those processes alone, whatever else runs on the host. cgroup.procs
// is read on both sides of the read: a pid in both names a member, even if
// a member died and its pid was reused in between.
func (c *cgroupContainer) members() ([]proc.Process, error) {
	c.mu.Lock()
	if c.removed {
		c.mu.Unlock()
		return c.groupContainer.members()
	}
	defer c.mu.Unlock()
	before, err := c.group.Procs()
	if err != nil {
		return nil, err
	}
	in := make(map[int]int, len(before))
	for _, pid := range before {
		in[pid] = 1
	}
	want := before
	for id := range c.known {
		if in[id.PID] == 0 {
			want = append(want, id.PID) // a member then; a zombie now?
		}
	}
	// Processes that could not be read for want of descriptors are still
	// in the cgroup: cgroup.kill reaches them, and the error says the
	// listing is short.
	read, readErr := c.table.Read(want)
	if readErr != nil && proc.Unread(readErr) == 0 {
		return nil, readErr
	}
	after, err := c.group.Procs()
	if err != nil {
		return nil, err
	}
	for _, pid := range after {
		if in[pid] == 1 {
			in[pid] = 2
		}
	}
	var ms []proc.Process
	known := make(map[proc.Identity]bool, len(read))
	for _, p := range read {
		if p.Zombie && c.known[p.Identity] || !p.Zombie && in[p.PID] == 2 {
			ms = append(ms, p)
			known[p.Identity] = true
		}
	}
	c.known = known
	if c.guard != nil {
		c.guard.tell(ms)
	}
	c.groups.note(ms, readErr == nil)
	return ms, readErr
}

// kill ends every member at once through the cgroup, whatever the listing
// saw: members forked since, and forking now, die too. Where the cgroup
// cannot be told (no descriptor for cgroup.kill), the members and the
// tree's groups are killed as without one.
func (c *cgroupContainer) kill(members []proc.Process) error {
	if err := c.group.Kill(time.Now().Add(time.Second)); err != nil {
		return errors.Join(err, c.groupContainer.kill(members))
	}
	return nil
}

// close stops the guard, then empties and removes the cgroup.
func (c *cgroupContainer) close() error {
	err := c.groupContainer.close()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.removed = true
	if populated, perr := c.group.Populated(); perr == nil && populated {
		err = errors.Join(err, c.group.Kill(time.Now().Add(giveUpAfter)))
	}
	return errors.Join(err, c.group.Discard())
}

// cgroupPaths are the run's cgroup directories, for the sampler to read.
func (c *cgroupContainer) cgroupPaths() cgroup.Paths { return c.group.Paths() }
