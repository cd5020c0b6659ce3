package proc

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/soakrun/soakrun/internal/fdbudget"
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
	roomyBudget(t)
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

// listed finds pid in a listing of table.
func listed(t *testing.T, table *Table, pid int) Process {
	t.Helper()
	all, err := table.List()
	if err != nil {
		t.Fatal(err)
	}
	i := slices.Index(pids(all), pid)
	if i < 0 {
		t.Fatalf("pid %d is not listed", pid)
	}
	return all[i]
}

func startCmd(t *testing.T, cmd *exec.Cmd) *exec.Cmd {
	t.Helper()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd
}

func TestTableRepeatsOnlyWhatHasNotRun(t *testing.T) {
	roomyBudget(t)
	table := NewTable()
	defer table.Close()
	sleeper := startCmd(t, exec.Command("sleep", "60"))
	spinner := startCmd(t, exec.Command("sh", "-c", "while :; do :; done"))
	ticker := startCmd(t, exec.Command("sh", "-c", "while :; do sleep 0.01; done"))
	waitAsleep(t, sleeper.Process.Pid, "sleep")

	all, err := table.List()
	if err != nil {
		t.Fatal(err)
	}
	if i := slices.IndexFunc(all, func(p Process) bool { return p.Quiet }); i >= 0 {
		t.Fatalf("%+v is quiet at the table's first listing", all[i])
	}
	for _, c := range []*exec.Cmd{spinner, ticker} {
		waitRan(t, c.Process.Pid, schedstat(t, c.Process.Pid))
	}
	first, _ := Get(sleeper.Process.Pid)
	all, _ = table.List()
	p := all[slices.Index(pids(all), sleeper.Process.Pid)]
	if !p.Quiet {
		t.Errorf("a sleeping process is read again: %+v", p)
	}
	if p.Identity != first.Identity || p.PPID != first.PPID || p.CPUTime != first.CPUTime || p.Name != first.Name {
		t.Errorf("repeated %+v, a fresh read says %+v", p, first)
	}
	for _, c := range []*exec.Cmd{spinner, ticker} {
		if i := slices.Index(pids(all), c.Process.Pid); i < 0 || all[i].Quiet {
			t.Errorf("%v ran since the last listing but is repeated (or missing)", c.Args)
		}
	}
}

func TestTableReadsAReparentedSleeperAgain(t *testing.T) {
	roomyBudget(t)
	table := NewTable()
	defer table.Close()
	parent := exec.Command("sh", "-c", "sleep 60 & echo $!; read x")
	in, err := parent.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := parent.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	startCmd(t, parent)
	line := make([]byte, 32)
	n, err := out.Read(line)
	if err != nil {
		t.Fatal(err)
	}
	child, err := Get(atoi(t, strings.TrimSpace(string(line[:n]))))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if Alive(child.Identity) {
			syscall.Kill(child.PID, syscall.SIGKILL)
		}
	})
	waitAsleep(t, child.PID, "sleep")
	listed(t, table, child.PID)
	if p := listed(t, table, child.PID); !p.Quiet || p.PPID != parent.Process.Pid {
		t.Fatalf("before its parent exits the child is %+v, want quiet with parent %d", p, parent.Process.Pid)
	}

	in.Close() // the parent exits; the child, asleep, is reparented
	parent.Wait()
	want, _ := Get(child.PID)
	if want.PPID == parent.Process.Pid {
		t.Fatalf("the child was not reparented: %+v", want)
	}
	if p := listed(t, table, child.PID); p.PPID != want.PPID {
		t.Errorf("after its parent exited the child is listed with parent %d, want %d", p.PPID, want.PPID)
	}
}

// The helpers below wait for what a test needs of a process, read from
// /proc, instead of sleeping for a time that guesses at it: these members
// must be single-threaded programs (the table only finds those quiet), so
// testproc's readiness lines, from a Go binary, cannot serve.

// waitAsleep waits until pid runs name and sleeps: past its start-up.
func waitAsleep(t *testing.T, pid int, name string) {
	t.Helper()
	waitProc(t, pid, func(stat string) bool {
		comm, rest, _ := strings.Cut(stat[strings.IndexByte(stat, '(')+1:], ") ")
		return comm == name && strings.HasPrefix(rest, "S")
	}, "asleep in "+name)
}

// schedstat is how long pid has run, and how often it was given a CPU.
func schedstat(t *testing.T, pid int) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "schedstat"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// waitRan waits until pid has run since its schedstat read `since`.
func waitRan(t *testing.T, pid int, since string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for schedstat(t, pid) == since {
		if time.Now().After(deadline) {
			t.Fatalf("pid %d did not run for 30 s", pid)
		}
		time.Sleep(time.Millisecond)
	}
}

func waitProc(t *testing.T, pid int, ok func(stat string) bool, what string) {
	t.Helper()
	path := filepath.Join("/proc", strconv.Itoa(pid), "stat")
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(time.Millisecond) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if ok(string(b)) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("pid %d not %s after 30 s: %s", pid, what, b)
		}
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestTableProbesOnlyWhereItPays checks where the table spends its
// schedstat reads: never on a multi-threaded process, which is read in full
// every time, and on a busy single-threaded one only in turns; and that a
// busy process which falls asleep is found quiet again within
// probeEvery+1 listings.
func TestTableProbesOnlyWhereItPays(t *testing.T) {
	roomyBudget(t)
	table := NewTable()
	defer table.Close()
	// A shell that spins (never quiet: it is always running or runnable)
	// until told to stop, then sleeps on its stdin.
	stop := filepath.Join(t.TempDir(), "stop")
	busy := exec.Command("sh", "-c", `while [ ! -e "$1" ]; do :; done; read x`, "sh", stop)
	in, err := busy.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	startCmd(t, busy)
	pid := busy.Process.Pid

	const listings = 3 * probeEvery
	listed(t, table, pid)
	self, sh := table.t.files[os.Getpid()], table.t.files[pid]
	selfProbes, shProbes := self.probes, sh.probes
	for range listings {
		time.Sleep(5 * time.Millisecond)
		if p := listed(t, table, pid); p.Quiet {
			t.Fatalf("the spinning shell is repeated: %+v", p)
		}
	}
	if n := self.probes - selfProbes; n != 0 {
		t.Errorf("the multi-threaded test process was probed %d times in %d listings, want 0", n, listings)
	}
	// Two probes to find it busy, then one per probeEvery listings and a
	// second right after, which finds it still running.
	if n := sh.probes - shProbes; n > 2+2*(listings/probeEvery+1) {
		t.Errorf("the busy shell was probed %d times in %d listings", n, listings)
	}

	if err := os.WriteFile(stop, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if p, err := Get(pid); err == nil && p.Status == "sleeping" {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("the shell did not fall asleep: %+v, %v", p, err)
		}
	}
	for i := range probeEvery + 1 {
		if listed(t, table, pid).Quiet {
			t.Logf("found asleep at listing %d", i+1)
			return
		}
	}
	t.Errorf("the shell has slept for %d listings and is still read in full", probeEvery+1)
}

// Read reads just the pids it is given, leaves out the gone, and lets go
// of the files a full listing kept for every other process.
func TestTableReadsOnlyThePidsGiven(t *testing.T) {
	fresh := NewTable() // never listed
	if got, err := fresh.Read([]int{os.Getpid()}); err != nil || len(got) != 1 {
		t.Errorf("a fresh table read %+v, %v", got, err)
	}
	fresh.Close()
	table := NewTable()
	defer table.Close()
	before := openFDs(t)
	all, err := table.List()
	if err != nil {
		t.Fatal(err)
	}
	listed := openFDs(t)
	const gone = 1 << 30 // above any pid_max
	got, err := table.Read([]int{os.Getpid(), gone})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].PID != os.Getpid() || got[0].Start == 0 {
		t.Errorf("read %+v, want this process alone", got)
	}
	// Kept: /proc, ns_last_pid, and this process's stat and schedstat.
	if after := openFDs(t); after > before+4 {
		t.Errorf("%d fds open after reading one process (%d before the listing of %d, %d after it)", after, before, len(all), listed)
	}
}

// roomyBudget gives the tables a test makes room to keep a file for every
// process on the host: these tests look at the kept files of their own
// processes, which a busy host (another package's tests running thousands
// of processes) would otherwise take the budget from.
func roomyBudget(t *testing.T) {
	t.Cleanup(fdbudget.Replace(fdbudget.New(0)))
}
