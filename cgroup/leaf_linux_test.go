package cgroup

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestLeafPlan(t *testing.T) {
	all := []string{"cpuset", "cpu", "io", "memory", "pids"}
	for _, tc := range []struct {
		name      string
		root      bool
		available []string
		enabled   []string
		procs     []int
		want      []string
	}{
		{"delegated scope holding soakrun alone", false, all, nil, []int{7}, []string{"memory", "pids", "io", "cpu"}},
		{"some already passed down", false, all, []string{"memory", "pids"}, []int{7}, []string{"io", "cpu"}},
		{"all already passed down", false, all, all, []int{7}, nil},
		{"nothing offered", false, nil, nil, []int{7}, nil},
		{"the root is the host's", true, all, nil, []int{7}, nil},
		{"another process shares the cgroup", false, all, nil, []int{7, 8}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := leafPlan(tc.root, tc.available, tc.enabled, tc.procs, 7)
			if !slices.Equal(got, tc.want) || (got == nil) != (tc.want == nil) {
				t.Errorf("plan %q, want %q", got, tc.want)
			}
		})
	}
}

// ownV2 is the test process's v2 cgroup path ("/..."), or skips.
func ownV2(t *testing.T) (hierarchy, string) {
	t.Helper()
	hs, err := ownCgroups(Host{})
	if err != nil {
		t.Skipf("no cgroups: %v", err)
	}
	for _, h := range hs {
		if h.controller == "" && !h.readOnly {
			return h, h.own
		}
	}
	t.Skip("no writable cgroup v2 hierarchy")
	return hierarchy{}, ""
}

func cgroupOfSelf(t *testing.T) string {
	b, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(b)) {
		if p, ok := strings.CutPrefix(strings.TrimSpace(line), "0::"); ok {
			return p
		}
	}
	return ""
}

// soakrun in a cgroup of its own below a shared one (as in a delegated
// scope) moves to a leaf, makes the run's cgroup beside it, and at the end
// returns, leaving its cgroup as it was. The guard's undo, from the
// handoff alone, is the same. The test process plays soakrun: it moves
// itself into a test cgroup below its own for the test's duration.
func TestMoveToLeafAndBack(t *testing.T) {
	h, own := ownV2(t)
	scope := filepath.Join(own, fmt.Sprintf("soakrun-test-%d-scope", os.Getpid()))
	if err := os.Mkdir(scope, 0o755); err != nil {
		t.Fatal(err)
	}
	self := os.Getpid()
	if err := Join([]string{scope}, self); err != nil {
		syscall.Rmdir(scope)
		t.Skipf("cannot move into a test cgroup: %v", err)
	}
	t.Cleanup(func() {
		if err := Join([]string{own}, self); err != nil {
			t.Errorf("return to %s: %v", own, err)
		}
		removeTree(scope)
	})
	forceLeaf = true
	t.Cleanup(func() { forceLeaf = false })

	g, err := Create(Host{}, "run")
	if err != nil {
		t.Fatal(err)
	}
	runDir := filepath.Join(scope, "run")
	leafDir := filepath.Join(scope, "run-supervisor")
	if g.Paths().Unified != runDir {
		t.Errorf("run's cgroup %q, want %q", g.Paths().Unified, runDir)
	}
	rel := strings.TrimPrefix(leafDir, h.mount)
	if got := cgroupOfSelf(t); got != rel {
		t.Errorf("soakrun in %q, want its leaf %q", got, rel)
	}
	// The handoff survives the trip through the guard's environment.
	b, err := json.Marshal(g.Handoff())
	if err != nil {
		t.Fatal(err)
	}
	var handoff Handoff
	if err := json.Unmarshal(b, &handoff); err != nil {
		t.Fatal(err)
	}
	g.dir.Close()
	other := Open(handoff)
	if err := errors.Join(other.Kill(time.Now().Add(5*time.Second)), other.Remove(), other.Leave(self)); err != nil {
		t.Fatal(err)
	}
	if got := cgroupOfSelf(t); got != strings.TrimPrefix(scope, h.mount) {
		t.Errorf("after Leave in %q, want %q", got, strings.TrimPrefix(scope, h.mount))
	}
	for _, d := range []string{runDir, leafDir} {
		if _, err := os.Stat(d); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s left behind: %v", d, err)
		}
	}
	if got := fieldsOf(filepath.Join(scope, "cgroup.subtree_control")); len(got) > 0 {
		t.Errorf("controllers %q left enabled", got)
	}
	// The v1 directories Create made are removed too.
	for _, d := range g.JoinDirs() {
		if _, err := os.Stat(d); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s left behind: %v", d, err)
		}
	}
}

// Before 5.7 the clone cannot place the command in the v2 directory: the
// trampoline joins it there as it joins the v1 ones.
func TestKernelVersion(t *testing.T) {
	for release, want := range map[string][2]int{
		"6.18.44-fc-v669":    {6, 18},
		"5.4.0-150-generic":  {5, 4},
		"5.7.0":              {5, 7},
		"3.10.0-1160.el7":    {3, 10},
		"4.19.0-27-amd64+rt": {4, 19},
		"garbage":            {0, 0},
	} {
		if major, minor := kernelVersion(release); major != want[0] || minor != want[1] {
			t.Errorf("%q: %d.%d, want %d.%d", release, major, minor, want[0], want[1])
		}
	}
}
