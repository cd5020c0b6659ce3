package cgroup

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
)

// passDown are the v2 controllers a run's cgroup should have: its memory,
// tasks, I/O and CPU figures come from them.
var passDown = []string{"memory", "pids", "io", "cpu"}

// forceLeaf makes Create move soakrun to a leaf even where no controller
// is to be passed down: tests use it on hosts whose v2 hierarchy has none.
var forceLeaf bool

// A v2 cgroup gives its children a controller only once the controller is
// enabled in its cgroup.subtree_control, and a cgroup with processes in it
// may not enable any ("no internal processes"), the root excepted. A
// delegated cgroup (systemd-run -p Delegate=yes) offers the controllers
// but holds soakrun itself. So, as systemd-run and crun do, soakrun moves
// itself into a leaf of its own, enables the controllers, and only then
// makes the run's cgroup beside that leaf; at the end it undoes all three.
// It does so only when nobody else is in its cgroup: other processes would
// have to move too, and they are not soakrun's to move.

// leaf is soakrun's move out of its own v2 cgroup, to be undone.
type leaf struct {
	Dir     string   `json:"dir,omitempty"`     // the leaf soakrun moved into
	Own     string   `json:"own,omitempty"`     // soakrun's cgroup, which it left
	Enabled []string `json:"enabled,omitempty"` // controllers enabled in Own's subtree_control
}

// leafPlan says which controllers soakrun would enable by moving to a
// leaf, or none when it should not move: at the root (the host's), when
// nothing is to be gained, or when another process shares its cgroup.
func leafPlan(isRoot bool, available, enabled []string, procs []int, self int) []string {
	if isRoot {
		return nil
	}
	var want []string
	for _, c := range passDown {
		if slices.Contains(available, c) && !slices.Contains(enabled, c) {
			want = append(want, c)
		}
	}
	if len(want) == 0 && !forceLeaf {
		return nil
	}
	if len(procs) != 1 || procs[0] != self {
		return nil
	}
	if want == nil {
		want = []string{}
	}
	return want
}

// moveToLeaf moves this process into own/name and enables what it can of
// want in own's subtree_control. Where it cannot move, it leaves things as
// they were and returns nil: the run's cgroup then has no controllers.
func moveToLeaf(h hierarchy, name string) *leaf {
	isRoot := filepath.Clean(h.own) == filepath.Clean(h.mount)
	available := fieldsOf(filepath.Join(h.own, "cgroup.controllers"))
	enabled := fieldsOf(filepath.Join(h.own, "cgroup.subtree_control"))
	procs, err := readPids(filepath.Join(h.own, "cgroup.procs"))
	if err != nil {
		return nil
	}
	want := leafPlan(isRoot, available, enabled, procs, os.Getpid())
	if want == nil {
		return nil
	}
	l := &leaf{Dir: filepath.Join(h.own, name), Own: h.own}
	if makeDir(l.Dir) != nil {
		return nil
	}
	if Join([]string{l.Dir}, os.Getpid()) != nil {
		syscall.Rmdir(l.Dir)
		return nil
	}
	for _, c := range want {
		if writeFile(filepath.Join(h.own, "cgroup.subtree_control"), "+"+c) == nil {
			l.Enabled = append(l.Enabled, c)
		}
	}
	return l
}

// undo disables the controllers enabled, moves process pid back to the
// cgroup soakrun left, and removes the leaf: once the run's cgroup is gone
// and pid (soakrun, or the guard once soakrun is dead) is the leaf's last
// process.
func (l *leaf) undo(pid int) error {
	var errs []error
	for _, c := range slices.Backward(l.Enabled) {
		if err := writeFile(filepath.Join(l.Own, "cgroup.subtree_control"), "-"+c); err != nil {
			errs = append(errs, fmt.Errorf("disable %s in %s: %w", c, l.Own, err))
		}
	}
	if err := Join([]string{l.Own}, pid); err != nil {
		return errors.Join(append(errs, err)...)
	}
	return errors.Join(append(errs, removeTree(l.Dir))...)
}

func fieldsOf(path string) []string {
	b, _ := os.ReadFile(path)
	return strings.Fields(string(b))
}

func readPids(path string) ([]int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var pids []int
	for _, f := range strings.Fields(string(b)) {
		if pid, err := strconv.Atoi(f); err == nil {
			pids = append(pids, pid)
		}
	}
	return pids, nil
}
