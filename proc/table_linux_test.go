package proc

import (
	"os"
	"os/exec"
	"slices"
	"testing"
)

func openFDs(t *testing.T) int {
	t.Helper()
	names, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(names)
}

func pids(ps []Process) []int {
	var out []int
	for _, p := range ps {
		out = append(out, p.PID)
	}
	return out
}

func TestTableFollowsBirthAndDeath(t *testing.T) {
	before := openFDs(t)
	table := NewTable()
	first, err := table.List()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(pids(first), os.Getpid()) {
		t.Fatal("the table does not list this process")
	}

	child := exec.Command("sleep", "60")
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	second, _ := table.List()
	i := slices.Index(pids(second), child.Process.Pid)
	if i < 0 {
		t.Fatal("a new child is not listed")
	}
	want, _ := Get(child.Process.Pid)
	if second[i].Identity != want.Identity || second[i].PPID != os.Getpid() {
		t.Errorf("listed %+v, Get says %+v", second[i], want)
	}
	if _, kept := table.t.files[child.Process.Pid]; !kept {
		t.Error("no stat file kept for the child")
	}

	child.Process.Kill()
	child.Wait()
	third, _ := table.List()
	if slices.Contains(pids(third), child.Process.Pid) {
		t.Error("a reaped child is still listed")
	}
	if _, kept := table.t.files[child.Process.Pid]; kept {
		t.Error("the reaped child's stat file is still open")
	}

	if err := table.Close(); err != nil {
		t.Fatal(err)
	}
	if after := openFDs(t); after != before {
		t.Errorf("%d fds open after Close, %d before the table", after, before)
	}
	if again, err := table.List(); err != nil || len(again) == 0 || openFDs(t) != before {
		t.Errorf("a closed table lists %d processes (%v) and keeps files", len(again), err)
	}
}
