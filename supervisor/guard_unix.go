//go:build linux || darwin

package supervisor

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/soakrun/soakrun/proc"
)

// The guard stops the tree when soakrun dies without stopping it (the OOM
// killer, a runner's hard cancel: SIGKILL, which nothing can catch).
//
// Pdeathsig cannot do it: it reaches only the direct child, and fires when
// the thread that started it exits, which in Go is any thread. So soakrun
// re-executes itself as a guard: a small process in a session of its own,
// outside the tree, whose stdin is a pipe from soakrun that nothing is ever
// written to. While soakrun lives, the guard lists soakrun's descendants
// every guardEvery and remembers each member by identity (pid and start
// time) and process group. When the pipe reads EOF, soakrun is gone (or has
// finished): the guard kills every remembered member still alive, the
// members of their process groups and everything descended from them, in
// sweeps, until none is left, and exits. A normal run ends with an empty
// tree, so the guard then finds nothing to kill.
//
// What it cannot see: a process born, moved to a new session and orphaned
// within the last guardEvery before soakrun died.
const (
	envGuard   = "SOAKRUN_GUARD" // soakrun's pid and start time, "PID@START"
	guardEvery = time.Second
)

// GuardMain turns this process into a guard if it was started as one, and
// then never returns. Programs that run a Supervisor call it first thing in
// main (tests in TestMain): the guard is this same executable.
func GuardMain() {
	spec, ok := os.LookupEnv(envGuard)
	if !ok {
		return
	}
	os.Exit(runGuard(spec, os.Stdin))
}

// guard is the supervisor's handle on its guard process.
type guard struct {
	pipe   *os.File // soakrun's end; closing it tells the guard to act
	status <-chan exitStatus
	id     proc.Identity
}

// startGuard starts the guard through the reaper, which then expects it,
// so it is not counted as an orphan.
func startGuard(r *reaper) (*guard, error) {
	self, err := proc.Get(os.Getpid())
	if err != nil {
		return nil, fmt.Errorf("read own identity: %w", err)
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find own executable: %w", err)
	}
	rd, wr, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("guard pipe: %w", err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), envGuard+"="+self.Identity.String())
	cmd.Stdin, cmd.Stderr = rd, os.Stderr
	// A session of its own: a terminal's ^C or a kill of soakrun's process
	// group must not take the guard along.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	id, status, err := r.startAndExpect(cmd)
	rd.Close()
	if err != nil {
		wr.Close()
		return nil, fmt.Errorf("start guard: %w", err)
	}
	return &guard{pipe: wr, status: status, id: id}, nil
}

// stop tells the guard the run is over and waits for it to exit.
func (g *guard) stop() error {
	g.pipe.Close()
	select {
	case <-g.status:
		return nil
	case <-time.After(5 * time.Second):
		return fmt.Errorf("guard %d did not exit", g.id.PID)
	}
}

// runGuard is the guard's whole life.
func runGuard(spec string, pipe io.Reader) int {
	signal.Ignore(syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGPIPE)
	owner, err := parseIdentity(spec)
	if err != nil {
		fmt.Fprintln(os.Stderr, "soakrun guard:", err)
		return 2
	}
	closed := make(chan struct{})
	go func() {
		io.Copy(io.Discard, pipe) // returns at EOF: soakrun is gone
		close(closed)
	}()
	table := proc.NewTable()
	defer table.Close()
	seen := map[proc.Identity]int{} // member → its process group
	self := os.Getpid()
	tick := time.NewTicker(guardEvery)
	defer tick.Stop()
	for {
		if all, err := table.List(); err == nil {
			for _, p := range proc.Descendants(all, owner.PID) {
				if p.PID != self {
					seen[p.Identity] = p.PGID
				}
			}
		}
		select {
		case <-closed:
			return killRemembered(table, seen, owner, self)
		case <-tick.C:
		}
	}
}

// killRemembered kills, in sweeps, every remembered member still alive, the
// members of their groups and their descendants, until none is left.
func killRemembered(table *proc.Table, seen map[proc.Identity]int, owner proc.Identity, self int) int {
	ownerGroup := -1
	if p, err := proc.Get(owner.PID); err == nil && p.Start == owner.Start {
		ownerGroup = p.PGID // soakrun's own group is not the tree's
	}
	deadline := time.Now().Add(giveUpAfter)
	for {
		all, err := table.List()
		if err != nil {
			return 1
		}
		// A group counts while a remembered member is still in it: once
		// empty, its id could be a stranger's.
		groups := map[int]bool{}
		for _, p := range all {
			if _, known := seen[p.Identity]; known && p.PGID > 0 && p.PGID != ownerGroup && p.PGID != self {
				groups[p.PGID] = true
			}
		}
		var targets []proc.Process
		for _, p := range all {
			_, known := seen[p.Identity]
			if (known || groups[p.PGID]) && p.PID != self && p.PID != owner.PID && !p.Zombie {
				targets = append(targets, p)
			}
		}
		for _, p := range targets {
			for _, d := range proc.Descendants(all, p.PID) {
				if d.PID != self && !d.Zombie {
					targets = append(targets, d)
				}
			}
		}
		if len(targets) == 0 {
			return 0
		}
		for _, p := range targets {
			seen[p.Identity] = p.PGID
		}
		signalAll(targets, syscall.SIGKILL)
		if time.Now().After(deadline) {
			return 1
		}
		time.Sleep(pollEvery)
	}
}

func parseIdentity(s string) (proc.Identity, error) {
	pid, start, ok := strings.Cut(s, "@")
	p, err1 := strconv.Atoi(pid)
	st, err2 := strconv.ParseUint(start, 10, 64)
	if !ok || err1 != nil || err2 != nil || p <= 0 {
		return proc.Identity{}, fmt.Errorf("bad identity %q", s)
	}
	return proc.Identity{PID: p, Start: st}, nil
}
