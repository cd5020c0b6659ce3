package supervisor

import (
	"testing"
	"time"

	"github.com/soakrun/soakrun/internal/testproc"
)

func TestForkDuringKill(t *testing.T) {
	eachContainment(t, func(t *testing.T, mode CgroupMode) {
		token := "3600.0" + time.Now().Format("150405000000")
		s := &Supervisor{Timeout: time.Second, KillAfter: 100 * time.Millisecond, Cgroup: mode}
		started(t, s, 4, "forker", token, "3")
		res := wait(t, s)
		if !res.Killed {
			t.Error("killed not set for a tree that ignores SIGTERM")
		}
		if left := testproc.PidsWithArg(token); len(left) > 0 {
			t.Errorf("%d processes forked during the kill survive: %v", len(left), left)
		}
		ms, err := s.Members()
		if err != nil {
			t.Fatal(err)
		}
		if live := Live(ms); len(live) > 0 {
			t.Errorf("members alive after Wait: %s", Names(live))
		}
		noZombieChildren(t)
	})
}
