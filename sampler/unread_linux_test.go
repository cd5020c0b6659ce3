package sampler

import (
	"errors"
	"os/exec"
	"syscall"
	"testing"

	"github.com/soakrun/soakrun/internal/fdbudget"
	"github.com/soakrun/soakrun/proc"
	"github.com/soakrun/soakrun/samples"
)

// Members the listing or the usage reader could not read for want of
// descriptors are counted, not summed as if the tree were smaller unseen.
func TestUnreadMembersAreCounted(t *testing.T) {
	listing := func() ([]proc.Process, error) {
		ms, err := ownChildren()
		return ms, errors.Join(err, &proc.IncompleteError{Unread: 4, Err: syscall.EMFILE})
	}
	smp := New(Config{Members: listing})
	smp.tree.usage = usageFunc(func(p proc.Process) usage { return usage{Unread: true} })
	sleep := exec.Command("sleep", "60")
	if err := sleep.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sleep.Process.Kill(); sleep.Wait() })
	s := smp.Sample(samples.KindStart)
	if s.ProcessUnread == nil || *s.ProcessUnread != 5 || s.ProcessCount == nil || *s.ProcessCount != 0 {
		t.Errorf("unread %v, count %v: want the listing's 4 and the sleep, none counted", s.ProcessUnread, s.ProcessCount)
	}
	smp = New(Config{Members: ownChildren})
	if s := smp.Sample(samples.KindStart); s.ProcessUnread != nil {
		t.Errorf("a whole listing says %d unread", *s.ProcessUnread)
	}
}

// Past the descriptor budget, members are read whole without keeping
// their files; the files kept stay within it and are given back.
func TestUsageReadsPastTheBudget(t *testing.T) {
	var kids []*exec.Cmd
	for range 20 {
		c := exec.Command("sleep", "60")
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		kids = append(kids, c)
	}
	t.Cleanup(func() {
		for _, c := range kids {
			c.Process.Kill()
			c.Wait()
		}
	})
	l := newUsageReader().(*linuxUsage)
	l.budget = fdbudget.New(70) // 6 files: two members' three
	for range 2 {
		for _, c := range kids {
			p, err := proc.Get(c.Process.Pid)
			if err != nil {
				t.Fatal(err)
			}
			u := l.read(p)
			if !u.HasRSS || !u.HasHandles || !u.HasIO || u.Unread {
				t.Fatalf("member %d read as %+v past the budget", p.PID, u)
			}
		}
		l.sweep()
		if held := l.budget.Held(); held != 6 {
			t.Errorf("%d files kept, want the budget's 6", held)
		}
	}
	for _, m := range l.members {
		m.fresh = false
	}
	l.sweep()
	if held := l.budget.Held(); held != 0 {
		t.Errorf("%d files still kept after every member was swept", held)
	}
}
