//go:build linux || darwin

package supervisor

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/soakrun/soakrun/proc"
)

// reaper owns every wait for the children of this process. Waiting for any
// child (wait4(-1)) is the only way a subreaper collects orphans, and it
// would steal the command's status from os/exec; so nobody else waits, and
// the reaper hands each status to whoever registered for that pid. This is
// the trap known from go-reaper, avoided by construction.
type reaper struct {
	mu      sync.Mutex
	waiters map[int]chan exitStatus
	orphans int
	// cpu is the CPU time of every process reaped here but those in
	// apart (the guard): the command and the orphans of its tree, with
	// the children each of them waited for.
	cpu   time.Duration
	apart map[int]bool
	// orphanLog is told of each orphan reaped; nil: reap them silently.
	orphanLog func(string, ...any)
	// strangers are the children this process had when a run started
	// (leaveAlone) that are still here: a program using the supervisor as
	// a library waits for those itself.
	strangers map[int]proc.Identity
}

// runningReaper is theReaper for readers outside startReaper's once,
// such as the sampler's goroutine.
var runningReaper atomic.Pointer[reaper]

var (
	theReaper  *reaper
	reaperErr  error
	reaperOnce sync.Once
)

func startReaper() (*reaper, error) {
	reaperOnce.Do(func() {
		if err := becomeSubreaper(); err != nil {
			reaperErr = err
			return
		}
		r := &reaper{waiters: map[int]chan exitStatus{}, apart: map[int]bool{}, strangers: map[int]proc.Identity{}}
		sigchld := make(chan os.Signal, 1)
		signal.Notify(sigchld, syscall.SIGCHLD)
		go func() {
			// SIGCHLD is coalesced, so each wake-up reaps all there is; the
			// ticker covers a signal that arrived before Notify.
			tick := time.NewTicker(time.Second)
			for {
				select {
				case <-sigchld:
				case <-tick.C:
				}
				r.drain()
			}
		}()
		theReaper = r
		runningReaper.Store(r)
	})
	return theReaper, reaperErr
}

// startAndExpect starts cmd, reads its identity and registers for its
// status under the reaper's lock: a command that exits at once can be
// neither reaped unseen nor have its pid recycled before it is identified.
func (r *reaper) startAndExpect(cmd *exec.Cmd) (proc.Identity, <-chan exitStatus, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := cmd.Start(); err != nil {
		return proc.Identity{}, nil, err
	}
	pid := cmd.Process.Pid
	ch := make(chan exitStatus, 1)
	r.waiters[pid] = ch
	p, err := proc.Get(pid)
	if err != nil {
		return proc.Identity{PID: pid}, ch, fmt.Errorf("read started process %d: %w", pid, err)
	}
	return p.Identity, ch, nil
}

// keepApart leaves the CPU of the child pid out of the reaped CPU: it is
// soakrun's own helper, not a member of the tree.
func (r *reaper) keepApart(pid int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.apart[pid] = true
}

// reapedCPU is the CPU time of the tree's processes reaped so far.
func (r *reaper) reapedCPU() time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cpu
}

// logOrphans has each orphan reaped from now on told to logf, with its pid,
// name and status, as tini -w does; nil stops it.
func (r *reaper) logOrphans(logf func(string, ...any)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.orphanLog = logf
}

// zombieNames names this process's children that have exited and wait to
// be reaped: once reaped, a process's name is gone with it.
func zombieNames() map[int]string {
	all, err := proc.List()
	if err != nil {
		return nil
	}
	self, names := os.Getpid(), map[int]string{}
	for _, p := range all {
		if p.PPID == self && p.Zombie {
			names[p.PID] = p.Name
		}
	}
	return names
}

// leaveAlone marks the children in listing, other than those the reaper
// waits for, as the program's own, never to be reaped here; it returns
// them. A run calls it before its command starts.
func (r *reaper) leaveAlone(listing []proc.Process) map[proc.Identity]bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	self := os.Getpid()
	ids := map[proc.Identity]bool{}
	for _, p := range listing {
		if _, waited := r.waiters[p.PID]; p.PPID == self && !waited && !r.apart[p.PID] {
			r.strangers[p.PID] = p.Identity
			ids[p.Identity] = true
		}
	}
	return ids
}

// isStranger reports whether p is one of the program's own children.
func (r *reaper) isStranger(p proc.Process) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	id, ok := r.strangers[p.PID]
	return ok && id == p.Identity
}

// drain reaps every child that has exited and returns the orphan count.
// To name each orphan it logs, it first reaps by pid the zombies a listing
// named, as long as listings find some it can reap (a multi-threaded
// process shows as a zombie before its last thread has exited, and cannot
// be reaped until then).
func (r *reaper) drain() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.strangers) > 0 {
		r.drainAround()
		return r.orphans
	}
	for reaped := true; reaped; {
		reaped = false
		for pid, name := range r.zombiesToName() {
			reaped = r.reap(pid, name) || reaped
		}
	}
	for r.reap(-1, "?") {
	}
	return r.orphans
}

// drainAround reaps, by pid, every exited child but the strangers, which
// wait4(-1) could take from their owner; strangers gone are forgotten.
func (r *reaper) drainAround() {
	self := os.Getpid()
	for reaped := true; reaped; {
		reaped = false
		all, err := proc.List()
		if err != nil {
			return
		}
		here := map[int]bool{}
		for _, p := range all {
			if p.PPID != self {
				continue
			}
			if id, ok := r.strangers[p.PID]; ok && id == p.Identity {
				here[p.PID] = true
			} else if p.Zombie {
				reaped = r.reap(p.PID, p.Name) || reaped
			}
		}
		for pid := range r.strangers {
			if !here[pid] {
				delete(r.strangers, pid)
			}
		}
	}
}

// zombiesToName lists the zombie children when orphans are being logged.
func (r *reaper) zombiesToName() map[int]string {
	if r.orphanLog == nil {
		return nil
	}
	return zombieNames()
}

// reap waits for child pid (-1: any) without blocking and hands its status
// on; it reports whether a child was reaped.
func (r *reaper) reap(pid int, name string) bool {
	var ws syscall.WaitStatus
	var ru syscall.Rusage
	got, err := syscall.Wait4(pid, &ws, syscall.WNOHANG, &ru)
	for errors.Is(err, syscall.EINTR) {
		got, err = syscall.Wait4(pid, &ws, syscall.WNOHANG, &ru)
	}
	if err != nil || got <= 0 {
		return false
	}
	if r.apart[got] {
		delete(r.apart, got)
	} else {
		r.cpu += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	st := exitStatus{code: ws.ExitStatus()}
	if ws.Signaled() {
		st = exitStatus{code: -1, signal: ws.Signal()}
	}
	if ch, ok := r.waiters[got]; ok {
		delete(r.waiters, got)
		ch <- st
		return true
	}
	r.orphans++
	if r.orphanLog != nil {
		r.orphanLog("reaped orphan %d (%s): %s", got, name, describe(st))
	}
	return true
}
