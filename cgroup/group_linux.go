package cgroup

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Group is one run's cgroup: a directory of its own below soakrun's own
// cgroup in each hierarchy that would take one. soakrun makes it, starts the
// command in it, kills it and removes it; the guard does the last two if
// soakrun dies first.
type Group struct {
	paths Paths
	dir   *os.File // the v2 directory, for CLONE_INTO_CGROUP
	leaf  *leaf    // soakrun's move to a leaf of its own, to undo at the end
	// lacks names each controller the v2 directory should have but does
	// not, with why (see lacking).
	lacks map[string]string
	// via names the driver that gave the cgroup, where it was not
	// soakrun's own: "systemd scope soakrun-42.scope", "cgroupfs".
	via string
	// tried says why each driver tried before gave no memory controller.
	tried []string
	// shared is the cgroupfs driver's directory above the run's, removed
	// with it when no other run is in it.
	shared string
}

// Handoff is what another process (the guard) needs to kill and remove a
// Group, and to undo soakrun's move to a leaf of its own.
type Handoff struct {
	Paths  Paths
	Leaf   *leaf  `json:",omitempty"`
	Shared string `json:",omitempty"`
}

// Create makes the cgroup named name below soakrun's own in the v2
// hierarchy and in each v1 hierarchy of memory, pids, cpuacct, freezer and
// blkio that is writable. It fails, wrapping ErrUnavailable, only when none
// is; the message says why.
func Create(h Host, name string) (*Group, error) {
	hs, err := ownCgroups(h)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	g := &Group{}
	var refused []refusal
	made := map[string]bool{}
	for _, hr := range hs {
		dir := filepath.Join(hr.own, name)
		if !made[dir] {
			if hr.readOnly {
				refused = append(refused, refusal{hr.mount, "read-only"})
				continue
			}
			if hr.controller == "" {
				g.leaf = moveToLeaf(hr, name+"-supervisor")
			}
			if err := makeDir(dir); err != nil {
				if g.leaf != nil {
					g.leaf.undo(os.Getpid())
					g.leaf = nil
				}
				refused = append(refused, refusalOf(hr, err))
				continue
			}
			made[dir] = true
		}
		if hr.controller == "" {
			g.paths.Unified = dir
			var enabled []string
			if g.leaf != nil {
				enabled = g.leaf.Enabled
			}
			g.lacks = lacking(hr, dir, g.leaf != nil, enabled)
		} else {
			*g.v1Field(hr.controller) = dir
		}
	}
	if g.paths == (Paths{}) {
		return nil, fmt.Errorf("%w: %s", ErrUnavailable, why(refused))
	}
	if g.paths.Unified != "" {
		if g.dir, err = os.Open(g.paths.Unified); err != nil {
			err = fmt.Errorf("open cgroup: %w", err)
			return nil, errors.Join(err, g.Discard())
		}
	}
	return g, nil
}

// Open is a Group made by another process (the guard's view of soakrun's),
// for killing and removing it.
func Open(h Handoff) *Group { return &Group{paths: h.Paths, leaf: h.Leaf, shared: h.Shared} }

// Handoff is what Open needs.
func (g *Group) Handoff() Handoff { return Handoff{Paths: g.paths, Leaf: g.leaf, Shared: g.shared} }

// Discard removes a run's cgroup that soakrun made, and, as Leave does,
// returns soakrun from the leaf it moved into for it: what Create did,
// undone by soakrun itself.
func (g *Group) Discard() error { return errors.Join(g.Remove(), g.Leave(os.Getpid())) }

// Reason is why Create or CreateWith made no cgroup, without the
// ErrUnavailable it wraps: "/sys/fs/cgroup is read-only".
func Reason(err error) string {
	return strings.TrimPrefix(err.Error(), ErrUnavailable.Error()+": ")
}

// Leave undoes soakrun's move to a leaf of its own, if it made one, once
// Remove has removed the run's cgroup: process pid (soakrun, or the guard
// once soakrun is dead), the leaf's last process, returns to the cgroup
// soakrun came from, and the controllers enabled there are disabled.
func (g *Group) Leave(pid int) error {
	if g.leaf == nil {
		return nil
	}
	return g.leaf.undo(pid)
}

// Lacks names each controller (memory, pids, io, cpu) the run's v2 cgroup
// does not have, with why; empty when it has them all or there is no v2
// cgroup.
func (g *Group) Lacks() map[string]string { return g.lacks }

// Paths are the run's cgroup directories.
func (g *Group) Paths() Paths { return g.paths }

// FD is the v2 directory's descriptor for SysProcAttr.CgroupFD, or -1
// without a v2 directory or on a kernel that cannot clone into one.
func (g *Group) FD() int {
	if g.dir == nil || !cloneIntoCgroup() {
		return -1
	}
	return int(g.dir.Fd())
}

// cloneIntoCgroup reports whether the kernel has CLONE_INTO_CGROUP (5.7).
func cloneIntoCgroup() bool {
	var u unix.Utsname
	if unix.Uname(&u) != nil {
		return false
	}
	major, minor := kernelVersion(unix.ByteSliceToString(u.Release[:]))
	return major > 5 || major == 5 && minor >= 7
}

// kernelVersion reads "6.18.44-fc-v669" as 6, 18.
func kernelVersion(release string) (major, minor int) {
	f := strings.FieldsFunc(release, func(r rune) bool { return r < '0' || r > '9' })
	if len(f) >= 2 {
		major, _ = strconv.Atoi(f[0])
		minor, _ = strconv.Atoi(f[1])
	}
	return major, minor
}

// Join moves process pid (all its threads) into each of the cgroup
// directories dirs: the step the command takes before it execs, for the
// run's v1 directories, so that it runs inside them from its first
// instruction.
func Join(dirs []string, pid int) error {
	for _, d := range dirs {
		if err := writeFile(filepath.Join(d, "cgroup.procs"), strconv.Itoa(pid)); err != nil {
			return fmt.Errorf("join cgroup %s: %w", d, err)
		}
	}
	return nil
}

// JoinDirs are what the command joins before it execs: the run's v1
// directories, each once, and its v2 directory where the clone cannot
// place it there.
func (g *Group) JoinDirs() []string {
	dirs := g.v1Dirs()
	if g.paths.Unified != "" && g.FD() < 0 {
		dirs = append([]string{g.paths.Unified}, dirs...)
	}
	return dirs
}

func (g *Group) v1Dirs() []string {
	var dirs []string
	for _, c := range v1Controllers {
		if d := *g.v1Field(c); d != "" && !slices.Contains(dirs, d) {
			dirs = append(dirs, d)
		}
	}
	return dirs
}

func (g *Group) v1Field(controller string) *string {
	switch controller {
	case "memory":
		return &g.paths.Memory
	case "pids":
		return &g.paths.Pids
	case "cpuacct":
		return &g.paths.CPUAcct
	case "freezer":
		return &g.paths.Freezer
	}
	return &g.paths.Blkio
}

// membership is the directory whose cgroup.procs says who is in the run:
// the v2 one when there is one (it is where the command is cloned into),
// else a v1 one, the freezer's first (it is what the kill uses).
func (g *Group) membership() string {
	for _, d := range []string{g.paths.Unified, g.paths.Freezer, g.paths.Pids, g.paths.Memory, g.paths.CPUAcct, g.paths.Blkio} {
		if d != "" {
			return d
		}
	}
	return ""
}

// Describe says which cgroups the run has, for the first line on stderr
// and the analysis: "cgroup v2 at DIR", "cgroup v1 memory+pids at DIR", or
// both.
func (g *Group) Describe() string {
	var parts []string
	tried := strings.Join(g.tried, "; ")
	if g.paths.Unified != "" {
		s := "cgroup v2 at " + g.paths.Unified
		if g.via != "" {
			s = "cgroup v2 via " + g.via + " at " + g.paths.Unified
		}
		var have string
		if c, err := os.ReadFile(filepath.Join(g.paths.Unified, "cgroup.controllers")); err == nil {
			have = strings.ReplaceAll(strings.TrimSpace(string(c)), " ", "+")
		}
		var notes []string
		switch lacks := describeLacks(g.lacks); {
		case lacks == "" && have != "":
			notes = append(notes, have)
		case lacks != "" && have != "":
			notes = append(notes, have, "lacks "+lacks)
		case lacks != "":
			notes = append(notes, "no controllers: "+lacks)
		}
		if tried != "" {
			notes = append(notes, tried)
			tried = ""
		}
		if len(notes) > 0 {
			s += " (" + strings.Join(notes, "; ") + ")"
		}
		parts = append(parts, s)
	}
	var names []string
	first := ""
	for _, c := range v1Controllers {
		if d := *g.v1Field(c); d != "" {
			names = append(names, c)
			if first == "" {
				first = d
			}
		}
	}
	if len(names) > 0 {
		parts = append(parts, "cgroup v1 "+strings.Join(names, "+")+" at "+first)
	}
	s := strings.Join(parts, " and ")
	if tried != "" {
		s += " (" + tried + ")"
	}
	return s
}

// Procs lists the processes in the run's cgroup and any cgroup the command
// made below it.
func (g *Group) Procs() ([]int, error) {
	dir := g.membership()
	if dir == "" {
		return nil, errors.New("no cgroup")
	}
	var pids []int
	read := func(d string) error {
		some, err := readPids(filepath.Join(d, "cgroup.procs"))
		pids = append(pids, some...)
		return err
	}
	// Only a command with the right to make cgroups makes any below the
	// run's; v2 says whether there are, sparing a listing of the directory.
	var err error
	if n, serr := keyedField(dir, "cgroup.stat", "nr_descendants"); serr == nil && n == "0" {
		err = read(dir)
	} else {
		err = eachDir(dir, read)
	}
	if err != nil {
		return nil, fmt.Errorf("list cgroup %s: %w", dir, err)
	}
	return pids, nil
}

// Populated reports whether any process is left in the run's cgroup: v2's
// cgroup.events, which counts the cgroups below too, or v1's cgroup.procs.
func (g *Group) Populated() (bool, error) {
	if g.paths.Unified != "" {
		v, err := eventField(g.paths.Unified, "populated")
		return v == "1", err
	}
	pids, err := g.Procs()
	return len(pids) > 0, err
}

// Remove removes the run's cgroup directories (and any the command made
// below them), once they are empty. Processes that have just been killed
// leave their cgroup a moment after they die, so a busy directory is
// retried for a second.
func (g *Group) Remove() error {
	if g.dir != nil {
		g.dir.Close()
		g.dir = nil
	}
	var errs []error
	for _, d := range append([]string{g.paths.Unified}, g.v1Dirs()...) {
		if d != "" {
			errs = append(errs, removeTree(d))
		}
	}
	if g.shared != "" {
		removeShared(g.shared)
	}
	return errors.Join(errs...)
}

func removeTree(dir string) error {
	var dirs []string
	err := eachDir(dir, func(d string) error { dirs = append(dirs, d); return nil })
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("remove cgroup %s: %w", dir, err)
	}
	deadline := time.Now().Add(time.Second)
	for _, d := range slices.Backward(dirs) { // children before parents
		for {
			err := syscall.Rmdir(d)
			if err == nil || errors.Is(err, fs.ErrNotExist) {
				break
			}
			if !errors.Is(err, syscall.EBUSY) || time.Now().After(deadline) {
				return fmt.Errorf("remove cgroup %s: %w", d, err)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	return nil
}

// eachDir calls f on dir and every cgroup below it, parents first.
func eachDir(dir string, f func(string) error) error {
	if err := f(dir); err != nil {
		return err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() {
			if err := eachDir(filepath.Join(dir, e.Name()), f); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
	}
	return nil
}

// eventField reads one "KEY VALUE" line of a v2 cgroup.events.
func eventField(dir, key string) (string, error) { return keyedField(dir, "cgroup.events", key) }

// keyedField reads one "KEY VALUE" line of a flat keyed cgroup file.
func keyedField(dir, file, key string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		return "", err
	}
	for line := range strings.Lines(string(b)) {
		if k, v, ok := strings.Cut(strings.TrimSpace(line), " "); ok && k == key {
			return v, nil
		}
	}
	return "", fmt.Errorf("%s: no %q in %s", dir, key, file)
}

// makeDir makes a cgroup directory. One left by an earlier run whose pid
// this one reuses is removed first if it is empty.
func makeDir(dir string) error {
	err := os.Mkdir(dir, 0o755)
	if errors.Is(err, fs.ErrExist) && syscall.Rmdir(dir) == nil {
		err = os.Mkdir(dir, 0o755)
	}
	return err
}

func writeFile(path, s string) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, err = f.WriteString(s)
	return errors.Join(err, f.Close())
}

// refusal is one hierarchy that would not take the run's cgroup.
type refusal struct {
	where, what string
}

func refusalOf(h hierarchy, err error) refusal {
	switch {
	case errors.Is(err, syscall.EROFS):
		return refusal{h.mount, "read-only"}
	case errors.Is(err, fs.ErrNotExist):
		return refusal{h.own, "absent"}
	case errors.Is(err, fs.ErrPermission):
		return refusal{h.own, "not writable (no delegated cgroup)"}
	}
	return refusal{h.own, err.Error()}
}

// why says in one phrase why no hierarchy took the run's cgroup. Refusals
// alike are told once, at the directory their places share:
// "/sys/fs/cgroup is read-only" for a container's read-only hybrid mounts.
func why(refused []refusal) string {
	if len(refused) == 0 {
		return "no cgroup hierarchy is mounted"
	}
	byWhat := map[string][]string{}
	var order []string
	for _, r := range refused {
		if byWhat[r.what] == nil {
			order = append(order, r.what)
		}
		byWhat[r.what] = append(byWhat[r.what], r.where)
	}
	parts := make([]string, len(order))
	for i, what := range order {
		parts[i] = commonDir(byWhat[what]) + " is " + what
	}
	return strings.Join(parts, "; ")
}

// commonDir is the deepest directory that holds every one of dirs.
func commonDir(dirs []string) string {
	common := filepath.Clean(dirs[0])
	for _, d := range dirs[1:] {
		d = filepath.Clean(d)
		for common != "/" && d != common && !strings.HasPrefix(d, common+"/") {
			common = filepath.Dir(common)
		}
	}
	return common
}
