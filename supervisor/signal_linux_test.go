package supervisor

import (
	"errors"
	"os"
	"strconv"
	"testing"

	"github.com/soakrun/soakrun/proc"
)

// pidfd_open says EINVAL (ENOENT since 6.9), not ESRCH, where a pid is no
// process's own: a thread's id, or, on kernels before 6.9, a member gone
// between the listing and the signal. The identity check decides; it is no
// error to print.
func TestSignalMemberTakesEINVALToTheCheck(t *testing.T) {
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		t.Fatal(err)
	}
	tid := 0
	for _, e := range tasks {
		if n, _ := strconv.Atoi(e.Name()); n != os.Getpid() {
			tid = n
			break
		}
	}
	if tid == 0 {
		t.Skip("no second thread")
	}
	err = signalMember(proc.Identity{PID: tid, Start: 1}, 0)
	if !errors.Is(err, ErrNotOurs) {
		t.Fatalf("signal to thread %d: %v, want the identity check's %v", tid, err, ErrNotOurs)
	}
}
