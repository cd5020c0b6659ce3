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
		r := &reaper{waiters: map[int]chan exitStatus{}, apart: map[int]bool{}}
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

// drain reaps every child that has exited and returns the orphan count.
func (r *reaper) drain() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	for {
		var ws syscall.WaitStatus
		var ru syscall.Rusage
		pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, &ru)
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		if err != nil || pid <= 0 {
			return r.orphans
		}
		if r.apart[pid] {
			delete(r.apart, pid)
		} else {
			r.cpu += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
		st := exitStatus{code: ws.ExitStatus()}
		if ws.Signaled() {
			st = exitStatus{code: -1, signal: ws.Signal()}
		}
		if ch, ok := r.waiters[pid]; ok {
			delete(r.waiters, pid)
			ch <- st
			continue
		}
		r.orphans++
	}
}
