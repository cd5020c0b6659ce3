//go:build linux || darwin

package supervisor

import (
	"syscall"
	"testing"
	"time"
)

// An Abort stops the whole tree through the stop sequence, grandchild
// included, and the run exits with the Abort's code; later Aborts and an
// Abort after the run are ignored.
func TestAbortStopsTheTreeWithItsCode(t *testing.T) {
	s := &Supervisor{KillAfter: 300 * time.Millisecond, Timeout: time.Minute}
	s.Abort(Abort{Reason: "before start", ExitCode: 9}) // nothing to stop yet
	pids := started(t, s, 2, "spawn", "setsid", "--", "ignore-term", "1h")
	s.Abort(Abort{Reason: "tree memory passed the ceiling", ExitCode: 5})
	s.Abort(Abort{Reason: "second", ExitCode: 6})
	res := wait(t, s)
	assertGone(t, pids...)
	if res.Aborted == nil || res.Aborted.ExitCode != 5 || res.Aborted.Reason != "tree memory passed the ceiling" {
		t.Fatalf("aborted %+v, want the first Abort after the start", res.Aborted)
	}
	if res.TimedOut || !res.Killed || res.Signal != syscall.SIGTERM && res.Signal != syscall.SIGKILL {
		t.Errorf("timed_out=%v killed=%v signal=%v: want the stop sequence's kill of the grandchild", res.TimedOut, res.Killed, res.Signal)
	}
	if got := res.ExitCode(false); got != 5 {
		t.Errorf("exit code %d, want the Abort's 5", got)
	}
	s.Abort(Abort{Reason: "after", ExitCode: 7}) // must not block or panic
	noZombieChildren(t)
}
