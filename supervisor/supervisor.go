// Package supervisor runs one command so that nothing it starts outlives the
// run. It contains the command's whole process tree (a process group plus a
// child subreaper on Linux, a job object on Windows), enforces a timeout with
// signal, grace and kill of every member, stops what the command leaves
// behind, and reports an exit status a CI step can trust. It does not sample
// or analyse anything; it only owns processes.
//
// On Linux the tree is also held in a cgroup of its own where one can be
// had (package cgroup): the kernel's list of members, its figures, and a
// kill that misses nobody.
//
// A program that uses it must call GuardMain first thing in main (and in
// TestMain): the helpers it starts are the program's own executable,
// started again (on Unix the guard that kills the tree if the program
// dies, and on Linux the exec trampoline that becomes the command; on
// Windows the console-event sender).
//
// On Unix the calling process becomes a child subreaper and reaps the
// tree's orphans, as an init does; run one Supervisor at a time in a
// process. The children the program had when a run started are not the
// tree: the run neither lists nor stops them, and leaves their exit status
// to the program's own Wait. Children the program starts while a run goes
// on are taken for the tree's orphans.
package supervisor

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/soakrun/soakrun/cgroup"
	"github.com/soakrun/soakrun/proc"
)

// DefaultKillAfter is the grace between the first signal and the kill.
const DefaultKillAfter = 5 * time.Second

// giveUpAfter bounds the kill sweeps for members that cannot be killed (a
// setuid child we have no permission to signal, a process stuck in the
// kernel): the run ends and says so instead of hanging.
const giveUpAfter = 10 * time.Second

// pollEvery is how often the tree is listed while it is being stopped; it
// bounds how late the run notices the tree is empty.
const pollEvery = 20 * time.Millisecond

// Supervisor runs one command. Set the fields, then call Start and Wait.
type Supervisor struct {
	// Args is the command and its arguments; Args[0] is looked up in PATH.
	Args []string
	Dir  string
	Env  []string // nil: soakrun's own environment

	// The command's standard files, passed as they are (never pipes), so
	// output stays unbuffered and a grandchild holding stdout open cannot
	// hang the run. Nil means the null device.
	Stdin, Stdout, Stderr *os.File

	// Timeout, if positive, stops the tree that long after the start.
	Timeout time.Duration
	// Signal is the first signal a stop sends (default SIGTERM). On Windows
	// it names the console event sent to the command's own console:
	// ParseSignal("BREAK") is CTRL_BREAK, SIGKILL terminates the job at
	// once, and any other signal is CTRL_C.
	Signal syscall.Signal
	// KillAfter is the grace between Signal and the kill (0: DefaultKillAfter;
	// negative: kill at once).
	KillAfter time.Duration

	// Interrupts delivers signals soakrun itself received. The first is forwarded
	// to the whole tree and starts the grace period; the second kills the
	// tree at once. One of TimeUpSignals (SIGALRM) is not forwarded: it
	// stops the run as the timeout would, then and there.
	Interrupts <-chan os.Signal
	// Pass delivers signals soakrun received that belong to the command
	// alone (SIGUSR1, SIGUSR2: log rotation, dumps): each goes to the
	// command's own process, not its children, as tini does, and the run
	// goes on. Unix only.
	Pass <-chan os.Signal

	// BeforeStop, if set, is called with the tree's live members before
	// the stop for the timeout or an Abort sends its first signal: the
	// moment to take evidence, while every member still runs. The stop
	// waits for it at most KillAfter's grace (not at all without one).
	BeforeStop func(members []proc.Process)

	// Log, if set, is told each step of a stop, as it happens.
	Log func(format string, args ...any)
	// LogOrphans also tells Log of each orphan reaped, by pid and name
	// (Unix).
	LogOrphans bool

	// Foreground keeps the command in soakrun's own process group instead
	// of one of its own, as GNU timeout --foreground does: it may read the
	// terminal, and the terminal's ^C, ^Z and ^\ reach it directly. The
	// whole tree is still found (subreaper, cgroup, identities), stopped at
	// the timeout and killed; what is given up is the group: members are
	// not followed through it (on macOS, without a subreaper, a daemon that
	// leaves between two listings escapes), and a ^C reaches the members in
	// the terminal's group twice, from the terminal and from soakrun. Unix
	// only.
	Foreground bool

	// Cgroup says whether the tree is held in a cgroup of its own (Linux).
	Cgroup CgroupMode
	// User, if set, is who the command and commands run aside (RunAside)
	// run as, with HOME, USER and LOGNAME the user's and sudo's variables
	// gone from their environment: soakrun keeps root's rights over the
	// tree's cgroup, the command has the user's (Linux, macOS).
	User *User
	// CgroupDriver says how that cgroup is had: below soakrun's own, from
	// systemd, or written directly (cgroup.Driver).
	CgroupDriver cgroup.Driver
	// CloseLater leaves the container (the run's cgroup, the guard) in
	// place when Wait returns, until Close: the cgroup's final figures (its
	// peak memory, the CPU of every member that ever ran) can then still be
	// read, once the tree is empty.
	CloseLater bool

	mu      sync.Mutex
	begun   bool // Start was called: a Supervisor runs one command
	c       container
	why     string
	closed  bool
	abort   chan Abort // holds the first Abort until Wait takes it
	started time.Time
	// reapedBefore is what the process had reaped before this run:
	// ReapedCPU counts from there.
	reapedBefore time.Duration
	main         proc.Identity
	stopping     atomic.Bool
}

// Result is what happened to the command and its tree.
type Result struct {
	PID int
	// Containment is what held the tree, as Supervisor.Containment says.
	Containment string

	Started time.Time
	Ended   time.Time // when the tree was found empty

	// ExitStatus is the command's exit code, or -1 when a signal ended it.
	ExitStatus int
	// Signal is the signal that ended the command, 0 if none.
	Signal syscall.Signal

	TimedOut  bool
	TimeoutAt time.Time // when the timeout fired
	// Aborted is the Abort that stopped the run early, nil if none.
	Aborted     *Abort
	Interrupted os.Signal // the first signal soakrun received, nil if none
	// Killed is true when the grace ran out and members had to be killed.
	Killed bool
	// Leftovers are members still running when the command exited by itself;
	// they were stopped like a timed-out tree.
	Leftovers []proc.Process
	// Unkillable are members still alive when the run gave up killing.
	Unkillable []proc.Process
	// OrphansReaped counts processes reparented to soakrun and reaped by it.
	OrphansReaped int
}

// ErrStarted is Start's error the second time: as with exec.Cmd, one
// Supervisor runs one command, once.
var ErrStarted = errors.New("supervisor: already started")

// Start launches the command inside its container. Errors wrap ErrNotFound
// or ErrNotExecutable when the command cannot be run at all.
func (s *Supervisor) Start() error {
	s.mu.Lock()
	begun := s.begun
	s.begun = true
	s.mu.Unlock()
	if begun {
		return ErrStarted
	}
	if len(s.Args) == 0 {
		return errors.New("no command given")
	}
	env := s.Env
	if s.User != nil {
		env = environFor(env, s.User)
	}
	cmd, err := newCommand(s.Args, s.Dir, env)
	if err != nil {
		return err
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = s.Stdin, s.Stdout, s.Stderr
	c, err := newContainer(s.Cgroup, s.CgroupDriver, describeRun(s.Args))
	if err != nil {
		return fmt.Errorf("set up containment: %w", err)
	}
	s.mu.Lock()
	s.why = c.describe()
	s.mu.Unlock()
	if lo, ok := c.(interface{ logOrphans(func(string, ...any)) }); ok && s.LogOrphans {
		lo.logOrphans(s.logf)
	}
	if s.User != nil {
		ru, ok := c.(interface{ runAs(*User) })
		if !ok {
			c.close()
			return errors.New("running the command as another user is not available on this platform")
		}
		ru.runAs(s.User)
	}
	if s.Foreground {
		fg, ok := c.(interface{ stayInForeground() })
		if !ok {
			c.close()
			return errors.New("keeping the command in the foreground process group (--foreground) is not available on this platform")
		}
		fg.stayInForeground()
	}
	before, _ := s.ReapedCPU()
	if err := c.start(cmd); err != nil {
		c.close()
		return classifyStart(s.Args[0], err)
	}
	s.mu.Lock()
	s.c, s.started, s.reapedBefore = c, time.Now(), before
	s.abort = make(chan Abort, 1)
	s.main = c.mainIdentity()
	s.mu.Unlock()
	return nil
}

// Members lists the tree's processes now, zombies included. It is safe to
// call from another goroutine while Wait runs.
func (s *Supervisor) Members() ([]proc.Process, error) {
	s.mu.Lock()
	c := s.c
	s.mu.Unlock()
	if c == nil {
		return nil, errors.New("not started")
	}
	return c.members()
}

// Close removes the container Wait left in place with CloseLater: the
// run's cgroup and the guard. Without CloseLater, Wait has done it. It may
// be called more than once.
func (s *Supervisor) Close() error {
	s.mu.Lock()
	c, closed := s.c, s.closed
	s.closed = true
	s.mu.Unlock()
	if c == nil || closed {
		return nil
	}
	return c.close()
}

// Containment says which containment holds the tree, and why: "cgroup v2
// at DIR", "cgroup v1 memory+pids at DIR", "process group:
// /sys/fs/cgroup is read-only", "job object". It is empty before Start.
func (s *Supervisor) Containment() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.why
}

// CgroupPaths are the directories of the run's cgroup, for reading the
// kernel's account of the tree; they are zero when no cgroup holds it. The
// cgroup is removed when Wait returns, or with CloseLater by Close.
func (s *Supervisor) CgroupPaths() cgroup.Paths {
	s.mu.Lock()
	c := s.c
	s.mu.Unlock()
	if cg, ok := c.(interface{ cgroupPaths() cgroup.Paths }); ok {
		return cg.cgroupPaths()
	}
	return cgroup.Paths{}
}

// Main is the command's own process.
func (s *Supervisor) Main() proc.Identity {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.main
}

func (s *Supervisor) logf(format string, args ...any) {
	if s.Log != nil {
		s.Log(format, args...)
	}
}

func (s *Supervisor) killAfter() time.Duration {
	switch {
	case s.KillAfter < 0:
		return 0
	case s.KillAfter == 0:
		return DefaultKillAfter
	}
	return s.KillAfter
}

func (s *Supervisor) signal() syscall.Signal {
	if s.Signal == 0 {
		return syscall.SIGTERM
	}
	return s.Signal
}

// Live returns the members that are still running, zombies left out.
func Live(members []proc.Process) []proc.Process {
	var out []proc.Process
	for _, m := range members {
		if !m.Zombie {
			out = append(out, m)
		}
	}
	return out
}

// Names summarises members by executable name, for messages: "sleep×3, python".
func Names(members []proc.Process) string {
	count := map[string]int{}
	var order []string
	for _, m := range members {
		if count[m.Name] == 0 {
			order = append(order, m.Name)
		}
		count[m.Name]++
	}
	parts := make([]string, len(order))
	for i, n := range order {
		parts[i] = n
		if count[n] > 1 {
			parts[i] = fmt.Sprintf("%s×%d", n, count[n])
		}
	}
	return strings.Join(parts, ", ")
}

// PeakMemory is the most memory the tree held at once over the run, in
// bytes, where the container keeps that account (a Windows job does); ok is
// false elsewhere.
func (s *Supervisor) PeakMemory() (bytes uint64, ok bool) {
	s.mu.Lock()
	c := s.c
	s.mu.Unlock()
	p, is := c.(interface{ peakMemory() (uint64, error) })
	if !is {
		return 0, false
	}
	n, err := p.peakMemory()
	return n, err == nil
}

// Stopping reports whether the run has begun to stop the tree (timeout,
// signal, or leftovers after the command exited): from then on the tree's
// figures describe processes being killed, not the workload.
func (s *Supervisor) Stopping() bool { return s.stopping.Load() }

// describeRun names the run for systemd's listing of its scope: "soakrun --
// python soak.py", at most 200 bytes.
func describeRun(args []string) string {
	d := "soakrun -- " + strings.Join(args, " ")
	if len(d) > 200 {
		d = strings.ToValidUTF8(d[:197], "") + "..."
	}
	return d
}
