//go:build unix

package proc_test

import (
	"errors"
	"os"
	"testing"
	"time"

	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/proc"
)

func TestMain(m *testing.M) {
	testproc.Main()
	os.Exit(m.Run())
}

// TestTreeAndZombiesOfARealTree lists a parent that holds an unreaped
// child: Tree shows the child under it and the test as its parent, and
// Zombies blames the parent.
func TestTreeAndZombiesOfARealTree(t *testing.T) {
	target, zombie := testproc.ZombieParent(t)
	for deadline := time.Now().Add(30 * time.Second); ; {
		if p, err := proc.Get(zombie); err == nil && p.Zombie {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("child %d never became a zombie", zombie)
		}
		time.Sleep(10 * time.Millisecond)
	}

	info, err := proc.Tree(target.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	if info.TotalCount != 2 || len(info.Children) != 1 || info.Children[0].PID != zombie || info.Children[0].Status != "zombie" {
		t.Errorf("Tree = %+v, want the parent and its zombie child %d", info, zombie)
	}
	if info.Parent == nil || info.Parent.PID != os.Getpid() {
		t.Errorf("Tree parent %+v, want the test %d", info.Parent, os.Getpid())
	}
	zs, err := proc.Zombies()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, z := range zs {
		found = found || z.PID == zombie && z.Parent != nil && z.Parent.PID == target.Process.Pid
	}
	if !found {
		t.Errorf("Zombies = %+v, want %d blamed on %d", zs, zombie, target.Process.Pid)
	}
	if _, err := proc.Tree(1 << 30); !errors.Is(err, proc.ErrNotFound) {
		t.Errorf("Tree of a pid that does not exist: %v, want ErrNotFound", err)
	}
}
