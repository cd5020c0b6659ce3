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
	"sync/atomic"
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
// stop) it writes down the pipe the identities (pid, start time, process
// group) of the members it has not told of before, or an empty line when
// there are none; the guard remembers them. When soakrun has been silent for
// guardEvery (samples far apart), the guard lists soakrun's descendants
// itself, and at least every guardForget it lists to forget the dead. When
// the pipe reads EOF, soakrun is gone (or has finished): the guard kills
// every remembered member still alive, the members of their process groups
// and everything descended from them, in sweeps, until none is left, and
// exits. A normal run ends with an empty tree, so the guard then finds
// nothing to kill.
//
// Where the run has a cgroup, the guard is told its paths at its start and
// first kills the cgroup, whose members it cannot miss, then removes it.
// Without one, what it cannot see: a process born, moved to a new session
// and orphaned since the last listing, soakrun's or its own, before
// soakrun died.
const (
	envGuard = "SOAKRUN_GUARD" // soakrun's pid and start time, "PID@START"
	// envGuardOthers names soakrun's children that are not the tree
	// ("PID@START,…"): in a program using the supervisor as a library,
	// the program's own.
	envGuardOthers = "SOAKRUN_GUARD_OTHERS"
	guardEvery     = 2 * time.Second
	guardForget    = time.Minute
)

// GuardMain turns this process into one of the helpers a Supervisor starts
// from its own executable, if it was started as one, and then never
// returns: the tree's guard, or on Linux the exec trampoline that becomes
// the command (exec_linux.go). Programs that run a Supervisor call it first
// thing in main (tests in TestMain).
func GuardMain() {
	if spec, ok := os.LookupEnv(envGuard); ok {
		os.Exit(runGuard(spec, os.Stdin))
	}
	helperMain()
}

// guard is the supervisor's handle on its guard process.
type guard struct {
	pipe   *os.File // soakrun's end; closing it tells the guard to act
	fd     int      // the pipe's descriptor, non-blocking
	status <-chan exitStatus
	id     proc.Identity
	buf    []byte
	told   map[proc.Identity]bool // members the guard knows of
}

// startGuard starts the guard through the reaper, which then expects it,
// so it is not counted as an orphan.
func startGuard(r *reaper, env ...string) (*guard, error) {
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
	cmd.Env = append(append(os.Environ(), envGuard+"="+self.Identity.String()), env...)
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
	r.keepApart(id.PID)
	g := &guard{pipe: wr, fd: int(wr.Fd()), status: status, id: id}
	// A guard that falls behind must not stall a listing: updates it
	// cannot take are dropped, and it lists for itself anyway.
	if err := syscall.SetNonblock(g.fd, true); err != nil {
		wr.Close()
		return nil, fmt.Errorf("guard pipe: %w", err)
	}
	return g, nil
}

// tell sends the guard the members it has not been told of yet, one
// "PID START PGID" line each, or an empty line if there are none, in writes of whole lines no longer than
// PIPE_BUF, which the kernel never splits. A write the pipe cannot take
// (the guard is behind; it lists for itself anyway) is dropped, and its
// members are told again next time.
func (g *guard) tell(members []proc.Process) {
	const pipeBuf = 4096
	told := make(map[proc.Identity]bool, len(members))
	b, batch, full := g.buf[:0], []proc.Identity(nil), false
	send := func(upTo int) {
		if !full {
			if _, err := syscall.Write(g.fd, b[:upTo]); err != nil {
				full = true
			} else {
				for _, id := range batch {
					told[id] = true
				}
			}
		}
		b, batch = b[:copy(b, b[upTo:])], batch[:0]
	}
	for _, m := range members {
		switch {
		case m.Zombie:
		case g.told[m.Identity]:
			told[m.Identity] = true
		default:
			mark := len(b)
			b = strconv.AppendInt(b, int64(m.PID), 10)
			b = append(b, ' ')
			b = strconv.AppendUint(b, m.Start, 10)
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(m.PGID), 10)
			b = append(b, '\n')
			if len(b) > pipeBuf {
				send(mark)
			}
			batch = append(batch, m.Identity)
		}
	}
	if len(b) == 0 && !full {
		b = append(b, '\n') // nothing new: soakrun is alive and listing
	}
	if len(b) > 0 {
		send(len(b))
	}
	g.buf, g.told = b[:0], told
}

// guardDone is soakrun's last line to the guard at a normal end: EOF
// without it means soakrun died.
const guardDone = "done\n"

// stop tells the guard the run is over and waits for it to exit.
func (g *guard) stop() error {
	// Dropped if the pipe is full: the guard then waits up to a second
	// for soakrun to die before it lets soakrun's cgroup leaf be.
	syscall.Write(g.fd, []byte(guardDone))
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
	owner, err := proc.ParseIdentity(spec)
	if err != nil {
		fmt.Fprintln(os.Stderr, "soakrun guard:", err)
		return 2
	}
	told := make(chan guardNews, 64)
	done := new(atomic.Bool)
	go readNews(pipe, told, done) // closes told at EOF: soakrun is gone
	table := proc.NewTable()
	defer table.Close()
	mem := &guardMemory{owner: owner, self: os.Getpid(), seen: map[proc.Identity]int{}, others: parseOthers(os.Getenv(envGuardOthers))}
	tick := time.NewTicker(guardEvery)
	defer tick.Stop()
	// With a cgroup the kill misses nobody, so the guard lists only to
	// forget the dead: soakrun, which then reads the members every few
	// samples (sampler.TreeWalkBudget), is not doubled by a guard that
	// lists whenever it is silent.
	ownEvery := guardEvery
	if guardHasCgroup() {
		ownEvery = guardForget
	}
	var heard, listed time.Time
	list := func() {
		if all, err := table.List(); err == nil {
			mem.learn(all)
		}
		listed = time.Now()
	}
	list()
	for {
		select {
		case news, ok := <-told:
			if !ok {
				cgErr := killGuardedCgroup(!done.Load(), owner)
				code := killRemembered(table, mem.seen, owner, mem.self)
				if cgErr != nil {
					fmt.Fprintln(os.Stderr, "soakrun guard:", cgErr)
					code = 1
				}
				return code
			}
			mem.hear(news)
			heard = time.Now()
		case now := <-tick.C:
			if now.Sub(heard) >= ownEvery || now.Sub(listed) >= guardForget {
				list()
			}
		}
	}
}

// guardMemory is what the guard knows of the tree: each member it was told
// of or found below soakrun, with its process group, while it lives.
type guardMemory struct {
	owner  proc.Identity
	self   int
	seen   map[proc.Identity]int
	others map[proc.Identity]bool // soakrun's children that are not the tree
}

// learn takes in a listing of every process: the dead are forgotten, or a
// long run's churn would pile up here, and soakrun's descendants are added.
func (m *guardMemory) learn(all []proc.Process) {
	listed := make(map[proc.Identity]bool, len(all))
	for _, p := range all {
		listed[p.Identity] = true
	}
	for id := range m.seen {
		if !listed[id] {
			delete(m.seen, id)
		}
	}
	outside := outsideTree(all, m.owner.PID, m.others)
	for _, p := range proc.Descendants(all, m.owner.PID) {
		if p.PID != m.self && !outside[p.Identity] {
			m.seen[p.Identity] = p.PGID
		}
	}
}

// hear takes in what soakrun told.
func (m *guardMemory) hear(news guardNews) {
	for _, p := range news {
		if p.PID != m.self {
			m.seen[p.Identity] = p.PGID
		}
	}
}

// guardNews is what soakrun's last listing told the guard.
type guardNews []proc.Process

// readNews reads member lines from soakrun until EOF, handing them on in
// batches: what one read brought. A "done" line, soakrun's last at a
// normal end, sets done.
func readNews(pipe io.Reader, told chan<- guardNews, done *atomic.Bool) {
	defer close(told)
	r := bufio.NewReader(pipe)
	var news guardNews
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			break // EOF: soakrun is gone
		}
		if line == guardDone {
			done.Store(true)
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

// killRemembered kills, in sweeps, every remembered member still alive, the
// members of their groups and their descendants, until none is left.
func killRemembered(table *proc.Table, seen map[proc.Identity]int, owner proc.Identity, self int) int {
	ownerGroup := -1
	if p, err := proc.Get(owner.PID); err == nil && p.Start == owner.Start {
		ownerGroup = p.PGID // soakrun's own group is not the tree's
	}
	deadline := time.Now().Add(giveUpAfter)
	for {
		// A listing that missed processes for want of descriptors still
		// names the rest; the groups reach what it missed.
		all, err := table.List()
		if err != nil && proc.Unread(err) == 0 {
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
		roots := make([]int, len(targets))
		for i, p := range targets {
			roots[i] = p.PID
		}
		for _, d := range proc.Descendants(all, roots...) {
			if d.PID != self && !d.Zombie {
				targets = append(targets, d)
			}
		}
		if len(targets) == 0 && err == nil {
			return 0
		}
		for _, p := range targets {
			seen[p.Identity] = p.PGID
		}
		signalAll(targets, syscall.SIGKILL)
		for pgid := range groups {
			syscall.Kill(-pgid, syscall.SIGKILL)
		}
		if time.Now().After(deadline) {
			return 1
		}
		time.Sleep(pollEvery)
	}
}

// othersEnv hands the program's own children to the guard: "PID@START,…".
func othersEnv(known map[proc.Identity]bool) string {
	ids := make([]string, 0, len(known))
	for id := range known {
		ids = append(ids, id.String())
	}
	return envGuardOthers + "=" + strings.Join(ids, ",")
}

// parseOthers reads othersEnv's value; what does not parse is left out.
func parseOthers(s string) map[proc.Identity]bool {
	known := map[proc.Identity]bool{}
	for _, f := range strings.Split(s, ",") {
		if id, err := proc.ParseIdentity(f); err == nil {
			known[id] = true
		}
	}
	return known
}
