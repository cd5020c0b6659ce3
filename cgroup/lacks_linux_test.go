package cgroup

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// fakeV2 lays out a v2 hierarchy's files under a temporary mount: the
// root's controllers, soakrun's own cgroup (one below the root unless
// atRoot) with what its parent offers, what it passes down and who is in
// it, and the run's cgroup with the controllers it got.
func fakeV2(t *testing.T, root, offered, passed string, others int, atRoot bool, got string) (hierarchy, string) {
	t.Helper()
	mount := t.TempDir()
	own := filepath.Join(mount, "shared")
	if atRoot {
		own = mount
	}
	run := filepath.Join(own, "soakrun-1")
	os.MkdirAll(run, 0o755)
	write := func(path, s string) {
		if err := os.WriteFile(path, []byte(s+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(mount, "cgroup.controllers"), root)
	if !atRoot {
		write(filepath.Join(own, "cgroup.controllers"), offered)
	}
	write(filepath.Join(own, "cgroup.subtree_control"), passed)
	procs := []string{strconv.Itoa(os.Getpid())}
	for i := range others {
		procs = append(procs, strconv.Itoa(1000000+i))
	}
	write(filepath.Join(own, "cgroup.procs"), strings.Join(procs, "\n"))
	write(filepath.Join(run, "cgroup.controllers"), got)
	return hierarchy{mount: mount, own: own}, run
}

func TestLackingSaysWhy(t *testing.T) {
	all := "cpu io memory pids"
	for _, tc := range []struct {
		name                       string
		root, offered, passed, got string
		others                     int
		atRoot, moved              bool
		enabled                    []string
		want                       string // describeLacks, with OWN for soakrun's cgroup
	}{
		{name: "whole", root: all, offered: all, passed: all, got: all, moved: true, enabled: []string{"memory", "pids", "io", "cpu"}},
		{name: "hybrid", want: "memory+pids+io+cpu: not in the v2 hierarchy (bound to a v1 hierarchy, or not in the kernel)"},
		{name: "beside other processes", root: all, offered: all, got: "", others: 2,
			want: "memory+pids+io+cpu: OWN holds 2 other process(es), so it cannot pass controllers down"},
		{name: "parent passes some", root: all, offered: "memory pids", passed: "memory pids", got: "memory pids", moved: true, enabled: []string{"memory", "pids"},
			want: "io+cpu: OWN's parent does not pass it down"},
		{name: "enabling refused", root: all, offered: all, got: "pids", moved: true, enabled: []string{"pids"},
			want: "memory+io+cpu: enabling it in OWN/cgroup.subtree_control failed"},
		{name: "at the root", root: all, passed: "pids", got: "pids", others: 40, atRoot: true,
			want: "memory+io+cpu: the root cgroup does not pass it down, and soakrun leaves the root's cgroup.subtree_control to the host's manager"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, run := fakeV2(t, tc.root, tc.offered, tc.passed, tc.others, tc.atRoot, tc.got)
			got := describeLacks(lacking(h, run, tc.moved, tc.enabled))
			if want := strings.ReplaceAll(tc.want, "OWN", h.own); got != want {
				t.Errorf("lacks %q\nwant  %q", got, want)
			}
		})
	}
}
