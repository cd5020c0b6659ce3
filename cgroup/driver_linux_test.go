package cgroup

import (
	"os"
	"path/filepath"
	"testing"
)

// The cgroupfs driver makes the run's cgroup below the nearest cgroup above
// soakrun's own that passes memory down, never at or above the mount.
func TestPassingAncestor(t *testing.T) {
	mount := t.TempDir()
	own := filepath.Join(mount, "a", "b", "job")
	if err := os.MkdirAll(own, 0o755); err != nil {
		t.Fatal(err)
	}
	pass := func(dir, controllers string) {
		if err := os.WriteFile(filepath.Join(dir, "cgroup.subtree_control"), []byte(controllers+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	h := hierarchy{mount: mount, own: own}
	if got, ok := passingAncestor(h); ok {
		t.Errorf("no cgroup passes memory down, yet %q was found", got)
	}
	pass(own, "cpu memory pids") // soakrun's own: never its own ancestor
	pass(mount, "cpu io memory pids")
	if got, ok := passingAncestor(h); !ok || got != mount {
		t.Errorf("passingAncestor = %q, %v; want the root %q", got, ok, mount)
	}
	pass(filepath.Join(mount, "a"), "memory")
	pass(filepath.Join(mount, "a", "b"), "pids")
	if got, ok := passingAncestor(h); !ok || got != filepath.Join(mount, "a") {
		t.Errorf("passingAncestor = %q, %v; want the nearest, %q", got, ok, filepath.Join(mount, "a"))
	}
	if got, ok := passingAncestor(hierarchy{mount: mount, own: mount}); ok {
		t.Errorf("soakrun at the root has nothing above it, yet %q was found", got)
	}
}

// The containment line names the driver that gave the cgroup, and why the
// drivers tried gave no memory controller.
func TestDescribeNamesTheDriver(t *testing.T) {
	run := t.TempDir()
	if err := os.WriteFile(filepath.Join(run, "cgroup.controllers"), []byte("cpu io memory pids\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	g := &Group{paths: Paths{Unified: run}, via: "systemd scope soakrun-42.scope"}
	if got, want := g.Describe(), "cgroup v2 via systemd scope soakrun-42.scope at "+run+" (cpu+io+memory+pids)"; got != want {
		t.Errorf("Describe = %q\nwant       %q", got, want)
	}
	if !g.HasMemory() {
		t.Error("HasMemory false with memory in cgroup.controllers")
	}
	bare := t.TempDir()
	os.WriteFile(filepath.Join(bare, "cgroup.controllers"), nil, 0o644)
	g = &Group{paths: Paths{Unified: bare},
		lacks: map[string]string{"memory": "/job holds 2 other process(es), so it cannot pass controllers down", "pids": "/job holds 2 other process(es), so it cannot pass controllers down"},
		tried: []string{"systemd: not reachable: user bus unix:path=/run/user/1001/bus: no such file or directory"}}
	want := "cgroup v2 at " + bare + " (no controllers: memory+pids: /job holds 2 other process(es), so it cannot pass controllers down; systemd: not reachable: user bus unix:path=/run/user/1001/bus: no such file or directory)"
	if got := g.Describe(); got != want {
		t.Errorf("Describe = %q\nwant       %q", got, want)
	}
	if g.HasMemory() {
		t.Error("HasMemory true without memory")
	}
	v1 := &Group{paths: Paths{Memory: "/sys/fs/cgroup/memory/soakrun-1"}, tried: []string{"cgroupfs: needs root"}}
	if got, want := v1.Describe(), "cgroup v1 memory at /sys/fs/cgroup/memory/soakrun-1 (cgroupfs: needs root)"; got != want || !v1.HasMemory() {
		t.Errorf("Describe = %q, HasMemory %v; want %q, true", got, v1.HasMemory(), want)
	}
}
