package main

import (
	"bytes"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/proc"
)

// guardOf finds the guard among soakrun's children by its environment.
func guardOf(t *testing.T, soakrun int) proc.Identity {
	t.Helper()
	all, err := proc.List()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range proc.Descendants(all, soakrun) {
		env, _ := os.ReadFile("/proc/" + strconv.Itoa(p.PID) + "/environ")
		if bytes.Contains(env, []byte("SOAKRUN_GUARD=")) {
			return p.Identity
		}
	}
	t.Fatal("soakrun has no guard")
	return proc.Identity{}
}

// startReady starts soakrun over role and waits for n ready lines.
func startReady(t *testing.T, flags []string, n int, role ...string) (*exec.Cmd, []int) {
	t.Helper()
	cmd := soakrun(t, flags, role...)
	return cmd, testproc.Start(t, cmd, n, nil)
}

// gone waits up to d for every id to be dead (or a zombie, which is dead
// but for its parent's wait) and reports the ones that are not.
func gone(ids []proc.Identity, d time.Duration) []proc.Identity {
	deadline := time.Now().Add(d)
	for {
		var alive []proc.Identity
		for _, id := range ids {
			if proc.Alive(id) {
				alive = append(alive, id)
			}
		}
		if len(alive) == 0 || time.Now().After(deadline) {
			return alive
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A SIGKILL of soakrun (the OOM killer, a hard cancel) leaves no member of
// the tree alive after a second: not the command, not a grandchild that
// moved to its own session and ignores SIGTERM.
func TestSupervisorDeathKillsTree(t *testing.T) {
	t.Parallel()
	// The command's child starts a grandchild in a new session, late (after
	// the guard's own first listing), and exits: the grandchild is
	// reparented to soakrun, in no group of the tree's, descended from no
	// member. Only what soakrun tells the guard makes the guard know it.
	cmd, pids := startReady(t, []string{"--interval", "100ms"}, 3,
		"spawn", "--", "spawn", "late", "setsid", "exit", "--", "ignore-term", "1h")
	var tree []proc.Identity
	for _, pid := range pids {
		if p, err := proc.Get(pid); err == nil && !p.Zombie {
			tree = append(tree, p.Identity) // the middle one may be gone already
		}
	}
	if len(tree) < 2 {
		t.Fatalf("tree %v from ready pids %v", tree, pids)
	}
	t.Cleanup(func() {
		for _, id := range tree {
			if proc.Alive(id) {
				syscall.Kill(id.PID, syscall.SIGKILL)
			}
		}
	})
	guard := guardOf(t, cmd.Process.Pid)
	// soakrun tells the guard the members at each sample (every 100 ms here).
	time.Sleep(500 * time.Millisecond)

	killed := time.Now()
	cmd.Process.Kill()
	cmd.Wait()
	if alive := gone(tree, time.Second); len(alive) > 0 {
		t.Errorf("members %v outlived soakrun's SIGKILL by a second", alive)
	}
	t.Logf("tree gone %s after soakrun's SIGKILL", time.Since(killed).Round(time.Millisecond))
	if alive := gone([]proc.Identity{guard}, 5*time.Second); len(alive) > 0 {
		t.Errorf("the guard %v did not exit", guard)
	}
}

// After a normal run the guard has nothing to do and is gone with soakrun.
func TestGuardEndsWithTheRun(t *testing.T) {
	t.Parallel()
	cmd, _ := startReady(t, nil, 1, "sleep", "500ms")
	guard := guardOf(t, cmd.Process.Pid)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("soakrun: %v", err)
	}
	if alive := gone([]proc.Identity{guard}, time.Second); len(alive) > 0 {
		t.Errorf("the guard %v outlived a normal run", guard)
	}
}
