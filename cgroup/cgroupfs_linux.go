package cgroup

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"syscall"
)

// The cgroupfs driver, for hosts whose cgroups no manager owns (a container
// with a cgroup namespace of its own, a busybox or OpenRC host): the run's
// cgroup is made where the controllers can be had without moving anyone
// else's process. That is below the nearest cgroup above soakrun's own
// that passes them down, in one directory of soakrun's own there
// (sharedDir), which passes them on: it never holds a process, so the "no
// internal processes" rule lets it. The command is cloned straight into
// the run's cgroup; soakrun and the guard stay where they are, outside
// what they kill. The root's cgroup.subtree_control is never written.

// sharedDir is soakrun's directory below the ancestor, shared by the runs
// of every soakrun on the host and removed by the last to leave it.
const sharedDir = "soakrun"

// viaCgroupfs makes the run's cgroup name at ANCESTOR/soakrun/name.
func viaCgroupfs(h Host, name string) (*Group, error) {
	hs, err := ownCgroups(h)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(hs, func(hr hierarchy) bool { return hr.controller == "" })
	if i < 0 {
		return nil, errors.New("no cgroup v2 hierarchy")
	}
	hr := hs[i]
	if hr.readOnly {
		return nil, fmt.Errorf("%s is read-only", hr.mount)
	}
	above, ok := passingAncestor(hr)
	if !ok {
		return nil, fmt.Errorf("no cgroup above %s passes memory down", hr.own)
	}
	shared := filepath.Join(above, sharedDir)
	if err := os.Mkdir(shared, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("make %s: %w", shared, err)
	}
	offered := fieldsOf(filepath.Join(shared, "cgroup.controllers"))
	enabled := fieldsOf(filepath.Join(shared, "cgroup.subtree_control"))
	for _, c := range passDown {
		if slices.Contains(offered, c) && !slices.Contains(enabled, c) {
			// A failure shows in the run's controllers, and in lacks.
			_ = writeFile(filepath.Join(shared, "cgroup.subtree_control"), "+"+c)
		}
	}
	run := filepath.Join(shared, name)
	if err := makeDir(run); err != nil {
		removeShared(shared)
		return nil, fmt.Errorf("make %s: %w", run, err)
	}
	g := &Group{paths: Paths{Unified: run}, shared: shared, via: "cgroupfs", lacks: map[string]string{}}
	have := fieldsOf(filepath.Join(run, "cgroup.controllers"))
	for _, c := range passDown {
		if !slices.Contains(have, c) {
			g.lacks[c] = fmt.Sprintf("%s does not pass it down", above)
		}
	}
	if g.dir, err = os.Open(run); err != nil {
		err = fmt.Errorf("open cgroup: %w", err)
		return nil, errors.Join(err, g.Remove())
	}
	return g, nil
}

// passingAncestor is the nearest cgroup above hr's own whose
// cgroup.subtree_control has memory.
func passingAncestor(hr hierarchy) (string, bool) {
	root := filepath.Clean(hr.mount)
	dir := filepath.Clean(hr.own)
	for dir != root {
		dir = filepath.Dir(dir)
		if slices.Contains(fieldsOf(filepath.Join(dir, "cgroup.subtree_control")), "memory") {
			return dir, true
		}
		if len(dir) < len(root) {
			break
		}
	}
	return "", false
}

// removeShared removes soakrun's shared directory unless another run is
// in it (EBUSY), which removes it when it leaves.
func removeShared(dir string) { _ = syscall.Rmdir(dir) }
