package sampler

import (
	"slices"
	"testing"
	"time"

	"github.com/soakrun/soakrun/proc"
)

// A member that is small but holds the most fds, the most threads or the
// most CPU is listed after the largest by memory, once, with its figures.
func TestTopListsTheLargestByEveryJudgedFigure(t *testing.T) {
	top := newTopSet(2)
	offer := func(pid int, rssMB, handles, threads int, cpu time.Duration) {
		u := usage{RSSBytes: uint64(rssMB) << 20, HasRSS: true, Handles: handles, HasHandles: true, Threads: threads, HasThreads: true}
		top.offer(proc.Process{Identity: proc.Identity{PID: pid}, Name: "p"}, u, cpu, true, time.Second)
	}
	offer(1, 100, 5, 2, 0)
	offer(2, 90, 6, 1, 0)
	offer(3, 1, 900, 1, 0)                     // fd leaker
	offer(4, 2, 3, 80, 0)                      // thread leaker
	offer(5, 1, 1, 1, 900*time.Millisecond)    // spinner
	offer(6, 3, 800, 70, 800*time.Millisecond) // second on all three
	var pids []int
	for _, m := range top.list() {
		pids = append(pids, m.PID)
	}
	if want := []int{1, 2, 3, 6, 4, 5}; !slices.Equal(pids, want) {
		t.Errorf("listed pids %v, want %v: memory's two first, then handles', threads' and CPU's not yet listed", pids, want)
	}
	m := top.list()[2]
	if m.Handles == nil || *m.Handles != 900 || m.Threads == nil || *m.Threads != 1 || m.CPUPercent == nil {
		t.Errorf("the fd leaker is listed as %+v", m)
	}
	none := newTopSet(0)
	if got := none.list(); got == nil || len(got) != 0 {
		t.Errorf("no top: %v, want an empty list", got)
	}
}

// Figures a platform cannot read stay null and never rank a member.
func TestTopUnknownFiguresAreNull(t *testing.T) {
	top := newTopSet(1)
	top.offer(proc.Process{Identity: proc.Identity{PID: 1}, Name: "a"}, usage{RSSBytes: 1 << 20, HasRSS: true}, 0, false, time.Second)
	top.offer(proc.Process{Identity: proc.Identity{PID: 2}, Name: "b"}, usage{RSSBytes: 1 << 10, HasRSS: true}, 0, false, time.Second)
	got := top.list()
	if len(got) != 1 || got[0].PID != 1 || got[0].Handles != nil || got[0].Threads != nil || got[0].CPUPercent != nil {
		t.Errorf("listed %+v, want pid 1 alone with null figures", got)
	}
}
