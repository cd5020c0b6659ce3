package supervisor

import (
	"os"
	"testing"
	"time"

	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/proc"
)

// started runs role under a Supervisor configured by s, waits for n ready
// lines, and makes sure the test leaves no process behind.
func started(t *testing.T, s *Supervisor, n int, role ...string) []int {
	t.Helper()
	s.Args = []string{os.Args[0]}
	s.Env = testproc.Env(role...)
	return startedCommand(t, s, n)
}

// startedCommand runs s.Args under s, waits for n ready lines on its
// stdout, and makes sure the test leaves no process behind.
func startedCommand(t *testing.T, s *Supervisor, n int) []int {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	s.Stdout, s.Stderr = w, os.Stderr
	if err := s.Start(); err != nil {
		t.Fatalf("start: %v", err)
	}
	w.Close()
	t.Cleanup(func() {
		if ms, err := s.Members(); err == nil && len(Live(ms)) > 0 {
			s.c.kill(Live(ms))
		}
	})
	pids, err := testproc.WaitReady(r, n, 20*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return pids
}

func wait(t *testing.T, s *Supervisor) Result {
	t.Helper()
	res, err := s.Wait()
	if err != nil {
		t.Fatalf("wait: %v", err)
	}
	return res
}

func assertGone(t *testing.T, pids ...int) {
	t.Helper()
	for _, pid := range pids {
		if p, err := proc.Get(pid); err == nil && !p.Zombie {
			t.Errorf("pid %d (%s) still alive", pid, p.Name)
		}
	}
}

// eachContainment runs f with the tree in a cgroup, where this host gives
// one, and in the process group alone.
func eachContainment(t *testing.T, f func(t *testing.T, mode CgroupMode)) {
	t.Run("cgroup", func(t *testing.T) { f(t, CgroupAuto) })
	t.Run("process-group", func(t *testing.T) { f(t, CgroupOff) })
}
