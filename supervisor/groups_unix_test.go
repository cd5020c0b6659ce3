//go:build linux || darwin

package supervisor

import (
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/soakrun/soakrun/proc"
)

// groupOfSleeps starts sh leading a process group of its own with n sleeps
// in it, and returns sh and the sleeps as listed.
func groupOfSleeps(t *testing.T, n int) (leader proc.Process, sleeps []proc.Process) {
	t.Helper()
	cmd := exec.Command("sh", "-c", "for i in $(seq "+strconv.Itoa(n)+"); do sleep 60 & done; echo ready; wait")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); cmd.Wait() })
	buf := make([]byte, 6)
	if _, err := out.Read(buf); err != nil {
		t.Fatal(err)
	}
	leader, err := proc.Get(cmd.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	all, _ := proc.List()
	sleeps = proc.Descendants(all, leader.PID)
	if len(sleeps) != n {
		t.Fatalf("%d sleeps, want %d", len(sleeps), n)
	}
	return leader, sleeps
}

func aliveAfter(ps []proc.Process, d time.Duration) []proc.Process {
	deadline := time.Now().Add(d)
	for {
		var alive []proc.Process
		for _, p := range ps {
			if now, err := proc.Get(p.PID); err == nil && now.Start == p.Start && !now.Zombie {
				alive = append(alive, p)
			}
		}
		if len(alive) == 0 || time.Now().After(deadline) {
			return alive
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A listing that saw only a group's leader still stops the whole group:
// the members it missed get the signal through the group.
func TestTreeGroupsReachMembersNoListingSaw(t *testing.T) {
	leader, sleeps := groupOfSleeps(t, 12)
	g := newTreeGroups(syscall.Getpgrp())
	g.note([]proc.Process{leader}, false)
	if reached, err := g.signal(syscall.SIGKILL); err != nil || !reached[leader.PGID] {
		t.Fatalf("reached %v: %v", reached, err)
	}
	if alive := aliveAfter(sleeps, 2*time.Second); len(alive) > 0 {
		t.Errorf("%d of %d sleeps the listing missed outlived the group's kill", len(alive), len(sleeps))
	}
}

// Only the tree's groups are signalled: not soakrun's own, not one no
// member leads, and not one a complete listing found empty, even if a
// process with its number turns up later.
func TestTreeGroupsSignalOnlyTheTrees(t *testing.T) {
	leader, sleeps := groupOfSleeps(t, 3)
	own := syscall.Getpgrp()

	g := newTreeGroups(leader.PGID) // as if the group were soakrun's own
	g.note([]proc.Process{leader}, true)
	if len(g.live) != 0 {
		t.Errorf("soakrun's own group is the tree's: %v", g.live)
	}

	g = newTreeGroups(own)
	g.note(sleeps, true) // members of the group, but no leader among them
	if len(g.live) != 0 {
		t.Errorf("a group no member was seen leading is the tree's: %v", g.live)
	}

	g.note([]proc.Process{leader}, true)
	if len(g.live) != 1 || g.live[0] != leader.PGID {
		t.Fatalf("tree groups %v, want [%d]", g.live, leader.PGID)
	}
	g.note(nil, false) // a listing that read nothing: not known to be empty
	if len(g.live) != 1 {
		t.Errorf("an incomplete listing forgot the group: %v", g.live)
	}
	g.note(nil, true) // a complete one that found no member in it
	if len(g.live) != 0 || len(g.made) != 0 {
		t.Errorf("a group found empty is still the tree's: live %v, made %v", g.live, g.made)
	}
	g.note(sleeps, true) // its number turns up again, with no leader seen
	if reached, err := g.signal(syscall.SIGKILL); err != nil || len(reached) != 0 {
		t.Fatalf("reached %v: %v", reached, err)
	}
	if alive := aliveAfter(sleeps, 200*time.Millisecond); len(alive) != len(sleeps) {
		t.Errorf("a forgotten group was signalled: %d of %d alive", len(alive), len(sleeps))
	}
}
