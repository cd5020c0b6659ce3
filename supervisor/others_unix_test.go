//go:build linux || darwin

package supervisor

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/proc"
)

// A program that runs a Supervisor as a library may have children of its
// own, such as a server its test started. They and their descendants are
// not the tree: the run neither lists nor stops them, its guard leaves
// them at the end, and their exit status stays for the program's own Wait.
func TestProgramsOwnChildrenAreNotTheTree(t *testing.T) {
	for name, mode := range map[string]CgroupMode{"cgroup": CgroupAuto, "process-group": CgroupOff} {
		t.Run(name, func(t *testing.T) {
			own := testproc.Command("spawn", "--", "sleep", "1h")
			out, err := own.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := own.Start(); err != nil {
				t.Fatal(err)
			}
			pids, err := testproc.WaitReady(out, 2, 10*time.Second)
			var ids []proc.Identity
			for _, pid := range append(pids, own.Process.Pid) {
				defer syscall.Kill(pid, syscall.SIGKILL)
				if p, err := proc.Get(pid); err == nil {
					ids = append(ids, p.Identity)
				}
			}
			if err != nil || len(ids) != 3 {
				t.Fatalf("the program's own child and grandchild: %v, %d of 3 read", err, len(ids))
			}

			s := &Supervisor{Cgroup: mode, Args: []string{os.Args[0]}, Env: testproc.Env("spawn", "--", "sleep", "1h"),
				Timeout: time.Second, KillAfter: time.Second}
			if err := s.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(300 * time.Millisecond)
			members, _ := s.Members()
			res := wait(t, s)
			if err := s.Close(); err != nil {
				t.Error(err)
			}
			if !res.TimedOut {
				t.Errorf("the run was not timed out: %+v", res)
			}
			for _, m := range members {
				for _, id := range ids {
					if m.Identity == id {
						t.Errorf("the program's own process %d (%s) was taken for a member", m.PID, m.Name)
					}
				}
			}
			for _, id := range ids {
				if p, err := proc.Get(id.PID); err != nil || p.Identity != id || p.Zombie {
					t.Errorf("the program's own process %d did not outlive the run (%v)", id.PID, err)
				}
			}
			own.Process.Kill()
			var exit *exec.ExitError
			if err := own.Wait(); !errors.As(err, &exit) {
				t.Errorf("the program's own Wait: %v, want its child's status (killed)", err)
			}
		})
	}
}
