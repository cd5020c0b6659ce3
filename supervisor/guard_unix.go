//go:build linux || darwin

package supervisor

import (
	"bufio"
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
// read. Each time soakrun lists the tree (every sample, every step of a
// stop) it writes the members' identities (pid, start time, process group)
// down the pipe; the guard remembers them, and lists soakrun's descendants
// itself every guardEvery besides, in case samples are far apart. When the
// pipe reads EOF, soakrun is gone (or has finished): the guard kills every
// remembered member still alive, the members of their process groups and
// everything descended from them, in sweeps, until none is left, and exits.
// A normal run ends with an empty tree, so the guard then finds nothing to
// kill.
//
// What it cannot see: a process born, moved to a new session and orphaned
// since the last listing, soakrun's or its own, before soakrun died.
const (
	envGuard   = "SOAKRUN_GUARD" // soakrun's pid and start time, "PID@START"
	guardEvery = 2 * time.Second
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
	fd     int      // the pipe's descriptor, non-blocking
	status <-chan exitStatus
	id     proc.Identity
	buf    []byte
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
	g := &guard{pipe: wr, fd: int(wr.Fd()), status: status, id: id}
	// A guard that falls behind must not stall a listing: updates it
	// cannot take are dropped, and it lists for itself anyway.
	if err := syscall.SetNonblock(g.fd, true); err != nil {
		wr.Close()
		return nil, fmt.Errorf("guard pipe: %w", err)
	}
	return g, nil
}

// tell sends the members' identities to the guard, one "PID START PGID"
// line each, in writes of whole lines no longer than PIPE_BUF, which the
// kernel never splits.
func (g *guard) tell(members []proc.Process) {
	const pipeBuf = 4096
	b := g.buf[:0]
	for _, m := range members {
		if m.Zombie {
			continue
		}
		mark := len(b)
		b = strconv.AppendInt(b, int64(m.PID), 10)
		b = append(b, ' ')
		b = strconv.AppendUint(b, m.Start, 10)
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(m.PGID), 10)
		b = append(b, '\n')
		if len(b) > pipeBuf {
			if _, err := syscall.Write(g.fd, b[:mark]); err != nil {
				g.buf = b[:0]
				return // EAGAIN: the guard is behind; it lists for itself
			}
			b = b[:copy(b, b[mark:])]
		}
	}
	if len(b) > 0 {
		syscall.Write(g.fd, b)
	}
	g.buf = b[:0]
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
	told := make(chan guardNews, 64)
	go readNews(pipe, told) // closes told at EOF: soakrun is gone
	table := proc.NewTable()
	defer table.Close()
	seen := map[proc.Identity]int{} // member → its process group
	self := os.Getpid()
	tick := time.NewTicker(guardEvery)
	defer tick.Stop()
	list := func() {
		if all, err := table.List(); err == nil {
			for _, p := range proc.Descendants(all, owner.PID) {
				if p.PID != self {
					seen[p.Identity] = p.PGID
				}
			}
		}
	}
	list()
	for {
		select {
		case news, ok := <-told:
			if !ok {
				return killRemembered(table, seen, owner, self)
			}
			for _, m := range news {
				if m.PID != self {
					seen[m.Identity] = m.PGID
				}
			}
		case <-tick.C:
			list()
		}
	}
}

// guardNews is what soakrun's last listing told the guard.
type guardNews []proc.Process

// readNews reads member lines from soakrun until EOF, handing them on in
// batches: what one read brought.
func readNews(pipe io.Reader, told chan<- guardNews) {
	defer close(told)
	r := bufio.NewReader(pipe)
	var news guardNews
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			break // EOF: soakrun is gone
		}
		if m, ok := parseNews(line); ok {
			news = append(news, m)
		}
		if r.Buffered() == 0 || len(news) >= 1024 {
			told <- news
			news = nil
		}
	}
	if len(news) > 0 {
		told <- news
	}
}

// parseNews reads one "PID START PGID" line.
func parseNews(line string) (proc.Process, bool) {
	f := strings.Fields(line)
	if len(f) != 3 {
		return proc.Process{}, false
	}
	pid, err1 := strconv.Atoi(f[0])
	start, err2 := strconv.ParseUint(f[1], 10, 64)
	pgid, err3 := strconv.Atoi(f[2])
	if err1 != nil || err2 != nil || err3 != nil {
		return proc.Process{}, false
	}
	return proc.Process{Identity: proc.Identity{PID: pid, Start: start}, PGID: pgid}, true
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
