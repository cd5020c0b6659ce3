package supervisor

import (
	"errors"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/soakrun/soakrun/proc"
)

// KillTree stops an existing process and all its descendants with the same
// sequence as a timed-out run: sig, up to grace, then kill sweeps. It
// returns nil only when no member is left alive. Members that are reparented
// away while it works are still followed by identity.
func KillTree(pid int, sig syscall.Signal, grace time.Duration, logf func(string, ...any)) error {
	root, err := proc.Get(pid)
	if err != nil {
		return err
	}
	if pid == os.Getpid() {
		return errors.New("refusing to kill soakrun itself")
	}
	t := newExistingTree(root.Identity)
	defer t.table.Close()
	if logf == nil {
		logf = func(string, ...any) {}
	}
	_, err = windDown(t, sig, grace, nil, logf)
	return err
}

// existingTree is a tree soakrun did not start: followed through parent
// links and identities, signalled member by member.
type existingTree struct {
	table   *proc.Table
	tracker *tracker
}

func newExistingTree(root proc.Identity) *existingTree {
	table := proc.NewTable()
	table.KeepOnly([]int{root.PID})
	return &existingTree{table: table, tracker: newTracker(root, true, 0)}
}

func (e *existingTree) members() ([]proc.Process, error) {
	all, err := e.table.List()
	if err != nil && proc.Unread(err) == 0 {
		return nil, err
	}
	ms := e.tracker.members(all, err == nil)
	e.table.KeepOnly(pidsOf(ms))
	return ms, err
}

// pidsOf is the pids of ps.
func pidsOf(ps []proc.Process) []int {
	pids := make([]int, len(ps))
	for i, p := range ps {
		pids[i] = p.PID
	}
	return pids
}

func (e *existingTree) signal(members []proc.Process, sig syscall.Signal) error {
	return errors.Join(signalAll(members, sig), continueAll(members, sig))
}

func (e *existingTree) kill(members []proc.Process) error {
	return signalAll(members, killSignal)
}

// Followed is an existing tree that soakrun watches without owning it, as
// `soakrun monitor --pid` does: its root and everything descended from the
// root, followed by identity as members are reparented.
type Followed struct {
	root proc.Identity
	mu   sync.Mutex
	tree *existingTree
}

// Follow starts following pid's tree.
func Follow(pid int) (*Followed, error) {
	root, err := proc.Get(pid)
	if err != nil {
		return nil, err
	}
	return &Followed{root: root.Identity, tree: newExistingTree(root.Identity)}, nil
}

// Members lists the tree now, zombies included.
func (f *Followed) Members() ([]proc.Process, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tree.members()
}

// Close lets go of what following kept open.
func (f *Followed) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tree.table.Close()
}

// RootAlive reports whether the tree's root still runs.
func (f *Followed) RootAlive() bool { return proc.Alive(f.root) }
