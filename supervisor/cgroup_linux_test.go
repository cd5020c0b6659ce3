package supervisor

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/soakrun/soakrun/cgroup"
	"github.com/soakrun/soakrun/internal/fdbudget"
	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/proc"
)

// The run's cgroup holds the command from its start, its members are the
// cgroup's, and it is gone when Wait returns.
func TestCgroupHoldsTheRun(t *testing.T) {
	s := &Supervisor{KillAfter: 200 * time.Millisecond}
	pids := started(t, s, 2, "spawn", "setsid", "exit", "--", "ignore-term", "1h")
	why := s.Containment()
	t.Logf("containment: %s", why)
	if strings.HasPrefix(why, "process group") {
		s.Wait()
		t.Skipf("no cgroup here: %s", why)
	}
	p := s.CgroupPaths()
	if p == (cgroup.Paths{}) || !strings.HasPrefix(why, "cgroup ") {
		t.Fatalf("containment %q with paths %+v", why, p)
	}
	dirs := slices.DeleteFunc([]string{p.Unified, p.Memory, p.Pids, p.CPUAcct, p.Freezer, p.Blkio}, func(d string) bool { return d == "" })
	for _, d := range dirs {
		b, err := os.ReadFile(filepath.Join(d, "cgroup.procs"))
		if err != nil {
			t.Fatal(err)
		}
		for _, pid := range pids {
			// The first may have exited by now; the daemon runs on.
			if p, err := proc.Get(pid); err == nil && !p.Zombie && !slices.Contains(strings.Fields(string(b)), fmt.Sprint(pid)) {
				t.Errorf("%s holds %q, not the member %d", d, b, pid)
			}
		}
	}
	// soakrun joined the v1 hierarchies for the fork only. (Where it
	// moved to a leaf of its own, soakrun-PID-supervisor, to pass the
	// controllers down, that leaf is beside the run's cgroup, not in it.)
	for _, d := range dirs {
		b, _ := os.ReadFile(filepath.Join(d, "cgroup.procs"))
		if slices.Contains(strings.Fields(string(b)), fmt.Sprint(os.Getpid())) {
			self, _ := os.ReadFile("/proc/self/cgroup")
			t.Errorf("soakrun is still in the run's cgroup %s:\n%s", d, self)
		}
	}
	ms, err := s.Members()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(ms, func(m proc.Process) bool { return m.Name != "" && slices.Contains(pids, m.PID) && !m.Zombie }) {
		t.Errorf("members %s lack the daemon (pids %v)", Names(ms), pids)
	}
	res := wait(t, s)
	if len(res.Leftovers) != 1 {
		t.Errorf("leftovers %v, want the daemon", res.Leftovers)
	}
	assertGone(t, pids...)
	for _, d := range dirs {
		if _, err := os.Stat(d); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s left behind: %v", d, err)
		}
	}
}

// hostWith points the supervisor at a host whose only cgroup mount is
// described by mountinfo, for the rest of the test.
func hostWith(t *testing.T, mountinfo string) {
	dir := t.TempDir()
	mi, self := filepath.Join(dir, "mountinfo"), filepath.Join(dir, "cgroup")
	if err := os.WriteFile(mi, []byte(mountinfo), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(self, []byte("0::/\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	old := cgroupHost
	cgroupHost = cgroup.Host{MountInfo: mi, SelfCgroup: self}
	t.Cleanup(func() { cgroupHost = old })
}

const readOnlyV2 = "31 30 0:27 / /sys/fs/cgroup ro,nosuid - cgroup2 cgroup2 rw\n"

// Without a cgroup to be had, the process group holds the tree as it
// always has, and says why.
func TestCgroupFallback(t *testing.T) {
	hostWith(t, readOnlyV2)
	s := &Supervisor{Timeout: 1500 * time.Millisecond, KillAfter: 300 * time.Millisecond}
	pids := started(t, s, 2, "spawn", "setsid", "--", "ignore-term", "1h")
	if got, want := s.Containment(), "process group: /sys/fs/cgroup is read-only"; got != want {
		t.Errorf("containment %q, want %q", got, want)
	}
	if p := s.CgroupPaths(); p != (cgroup.Paths{}) {
		t.Error("cgroup paths without a cgroup")
	}
	res := wait(t, s)
	if !res.TimedOut || !res.Killed {
		t.Errorf("timed_out=%v killed=%v, want both", res.TimedOut, res.Killed)
	}
	assertGone(t, pids...)

	off := &Supervisor{Cgroup: CgroupOff, Args: []string{os.Args[0]}, Env: testproc.Env("exit", "0")}
	if err := off.Start(); err != nil {
		t.Fatal(err)
	}
	wait(t, off)
	if got, want := off.Containment(), "process group: cgroups turned off"; got != want {
		t.Errorf("containment %q, want %q", got, want)
	}
}

// A cgroup required where none can be had: nothing runs, and the error
// is soakrun's own (125).
func TestCgroupRequiredRunsNothingWithout(t *testing.T) {
	hostWith(t, readOnlyV2)
	marker := filepath.Join(testproc.TempDir(t), "ran")
	s := &Supervisor{Cgroup: CgroupRequired, Args: []string{os.Args[0]}, Env: testproc.Env("touch", marker)}
	err := s.Start()
	if !errors.Is(err, ErrNoCgroup) || !strings.Contains(err.Error(), "/sys/fs/cgroup is read-only") {
		t.Fatalf("start: %v, want ErrNoCgroup saying why", err)
	}
	if code := StartExitCode(err); code != ExitFailure {
		t.Errorf("exit code %d, want %d", code, ExitFailure)
	}
	if _, err := os.Stat(marker); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the command ran: %v", err)
	}
}

// With CloseLater the cgroup outlives Wait, empty, until Close.
func TestCgroupCloseLater(t *testing.T) {
	s := &Supervisor{CloseLater: true, Args: []string{os.Args[0]}, Env: testproc.Env("exit", "0")}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	p := s.CgroupPaths()
	wait(t, s)
	if p == (cgroup.Paths{}) {
		s.Close()
		t.Skipf("no cgroup here: %s", s.Containment())
	}
	dir := cmp.Or(p.Unified, p.Freezer, p.Memory, p.Pids)
	if _, err := os.Stat(filepath.Join(dir, "cgroup.procs")); err != nil {
		t.Errorf("the cgroup is gone before Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the cgroup outlived Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("a second Close: %v", err)
	}
}

// The listing keeps files for the tree's members, with a cgroup or
// without one, and, without one, for nothing else the host runs (beside
// 200 sleeps that are not the tree's).
func TestMembersKeepTheirFilesAndNoOneElse(t *testing.T) {
	others := make([]*exec.Cmd, 200)
	for i := range others {
		others[i] = exec.Command("sleep", "60")
		if err := others[i].Start(); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		for _, c := range others {
			c.Process.Kill()
			c.Wait()
		}
	})
	for name, mode := range map[string]CgroupMode{"off": CgroupOff, "auto": CgroupAuto} {
		t.Run(name, func(t *testing.T) {
			held := fdbudget.Process().Held()
			s := &Supervisor{Cgroup: mode, KillAfter: 200 * time.Millisecond}
			started(t, s, 2, "spawn", "--", "sleep", "1m")
			var ms []proc.Process
			for range 3 {
				var err error
				if ms, err = s.Members(); err != nil {
					t.Fatal(err)
				}
			}
			kept := fdbudget.Process().Held() - held
			t.Logf("%s: %d files kept for %d members", s.Containment(), kept, len(ms))
			// Two per member (stat, schedstat), and this process's without a
			// cgroup: it is the command's parent.
			if len(ms) != 2 || kept < len(ms) || kept > 2*(len(ms)+1) {
				t.Errorf("%d files kept for %d members, want one or two each", kept, len(ms))
			}
			s.Abort(Abort{Reason: "done", ExitCode: 1})
			wait(t, s)
		})
	}
}
