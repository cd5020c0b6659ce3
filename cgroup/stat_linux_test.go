package cgroup_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/soakrun/soakrun/cgroup"
	"github.com/soakrun/soakrun/internal/testproc"
)

func TestMain(m *testing.M) {
	testproc.Main()
	os.Exit(m.Run())
}

// joinIn is the join role's arguments for every directory of p.
func joinIn(p cgroup.Paths, role ...string) []string {
	args := []string{"join"}
	for _, d := range []string{p.Unified, p.Memory, p.Pids, p.CPUAcct, p.Blkio} {
		if d != "" {
			args = append(args, d)
		}
	}
	return append(append(args, "--"), role...)
}

const mib = 1 << 20

// A member holding 64 MB in a test cgroup shows in the kernel's figures,
// read from whichever hierarchy this kernel provides them in.
func TestReaderLive(t *testing.T) {
	p := testproc.Cgroup(t)
	if p.Memory == "" && !hasController(p.Unified, "memory") {
		t.Skip("no memory controller writable here")
	}
	testproc.Start(t, testproc.Command(joinIn(p, "hold", "64", "30s")...), 1, nil)
	r := cgroup.NewReader(p)
	defer r.Close()
	s, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	atLeast := func(name string, v *uint64, want uint64) {
		t.Helper()
		if v == nil || *v < want {
			t.Errorf("%s = %v, want at least %d", name, show(v), want)
		}
	}
	atLeast("MemoryBytes", s.MemoryBytes, 64*mib)
	atLeast("AnonBytes", s.AnonBytes, 64*mib)
	atLeast("PeakMemoryBytes", s.PeakMemoryBytes, *s.MemoryBytes)
	atLeast("Tasks", s.Tasks, 1)
	atLeast("PeakTasks", s.PeakTasks, *s.Tasks)
	if s.FileBytes == nil || s.NoCacheBytes() == nil || *s.NoCacheBytes() < 64*mib {
		t.Errorf("charge less cache = %v, want at least 64 MB", show(s.NoCacheBytes()))
	}
	if s.CPU == nil || *s.CPU <= 0 {
		t.Errorf("CPU = %v, want some", s.CPU)
	}
	if s.OOMKills == nil || *s.OOMKills != 0 {
		t.Errorf("OOMKills = %v, want 0", show(s.OOMKills))
	}
	if s.IOReadBytes == nil {
		t.Errorf("no I/O figures (blkio %q, unified %q)", p.Blkio, p.Unified)
	}
	if p.Unified != "" && exists(filepath.Join(p.Unified, "memory.pressure")) && s.MemoryPressure == nil {
		t.Error("memory.pressure is there but not read")
	}
}

// Page cache a member writes is charged to its cgroup but is not what the
// verdict judges: the charge less the cache stays where the anonymous
// memory is.
func TestReaderFileCacheApart(t *testing.T) {
	p := testproc.Cgroup(t)
	if p.Memory == "" && !hasController(p.Unified, "memory") {
		t.Skip("no memory controller writable here")
	}
	r := cgroup.NewReader(p)
	defer r.Close()
	path := filepath.Join(t.TempDir(), "written")
	testproc.Start(t, testproc.Command(joinIn(p, "write-file", path, "512", "30s")...), 1, nil)
	s, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	if s.FileBytes == nil || *s.FileBytes < 400*mib {
		t.Fatalf("page cache %v after writing 512 MB", show(s.FileBytes))
	}
	nc := s.NoCacheBytes()
	if nc == nil || *nc > *s.MemoryBytes-400*mib {
		t.Fatalf("charge %d, less cache %v: the written file still counts", *s.MemoryBytes, show(nc))
	}
	// Nor does the kernel memory that came with the cache (about 3% of
	// what was written: 15 MB here): what is left beside the anonymous
	// memory is the process's own kernel memory, a megabyte or two.
	if s.AnonBytes == nil || *nc > *s.AnonBytes+8*mib {
		t.Errorf("charge less cache %d, anonymous %v, kernel memory set aside %v: the written file's kernel memory still counts",
			*nc, show(s.AnonBytes), show(s.ReclaimableKernelBytes))
	}
}

// A member the OOM killer kills under the group's limit is counted.
func TestReaderOOMKill(t *testing.T) {
	p := testproc.Cgroup(t)
	limit, file := "", ""
	switch {
	case hasController(p.Unified, "memory"):
		limit, file = p.Unified, "memory.max"
	case p.Memory != "":
		limit, file = p.Memory, "memory.limit_in_bytes"
	default:
		t.Skip("no memory controller writable here")
	}
	if err := os.WriteFile(filepath.Join(limit, file), []byte("33554432"), 0); err != nil {
		t.Fatal(err)
	}
	cmd := testproc.Command(joinIn(p, "hold", "256", "30s")...)
	err := cmd.Run()
	if err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("holding 256 MB under a 32 MB limit: %v, want killed", err)
	}
	r := cgroup.NewReader(p)
	defer r.Close()
	s, _ := r.Read()
	if s.OOMKills == nil || *s.OOMKills < 1 {
		t.Errorf("OOMKills = %v after an OOM kill", show(s.OOMKills))
	}
}

// The v2 controller files read from a live v2 group, where this kernel
// mounts one with the memory, pids and io controllers enabled.
func TestReaderLiveV2Controllers(t *testing.T) {
	p := testproc.Cgroup(t)
	for _, c := range []string{"memory", "pids", "io"} {
		if !hasController(p.Unified, c) {
			b, _ := os.ReadFile(filepath.Join(filepath.Dir(p.Unified), "cgroup.subtree_control"))
			t.Skipf("the cgroup v2 hierarchy here (%q) does not give its children the %s controller (subtree_control: %q)", p.Unified, c, strings.TrimSpace(string(b)))
		}
	}
	v2 := cgroup.Paths{Unified: p.Unified}
	testproc.Start(t, testproc.Command("join", v2.Unified, "--", "hold", "64", "30s"), 1, nil)
	r := cgroup.NewReader(v2)
	defer r.Close()
	s, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	if s.MemoryBytes == nil || *s.MemoryBytes < 64*mib || s.Tasks == nil || *s.Tasks < 1 || s.IOReadBytes == nil || s.OOMKills == nil {
		t.Errorf("v2 figures: memory %v, tasks %v, io %v, oom kills %v", show(s.MemoryBytes), show(s.Tasks), show(s.IOReadBytes), show(s.OOMKills))
	}
}

// The unified hierarchy's cpu.stat counts CPU even without controllers.
func TestReaderUnifiedCPU(t *testing.T) {
	p := testproc.Cgroup(t)
	if p.Unified == "" {
		t.Skip("no writable cgroup v2 hierarchy")
	}
	v2 := cgroup.Paths{Unified: p.Unified}
	cmd := testproc.Command("join", v2.Unified, "--", "used-then-spin", "300ms")
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	var before time.Duration
	for line := range strings.Lines(string(out)) {
		if ns, ok := strings.CutPrefix(strings.TrimSpace(line), "used "); ok {
			n, _ := strconv.ParseInt(ns, 10, 64)
			before = time.Duration(n)
		}
	}
	if before == 0 {
		t.Fatalf("the member did not say what it used before the spin: %q", out)
	}
	own := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	r := cgroup.NewReader(v2)
	defer r.Close()
	s, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	// All but the start-up before the join ran in the group: the member's
	// account less what it had used when it came to spin (its start-up,
	// tens of ms under the race detector on a busy machine, and the join).
	t.Logf("CPU %v, the member's own account %v, %v of it before the spin", s.CPU, own, before)
	if s.CPU == nil || *s.CPU > own || *s.CPU < own-before-max(20*time.Millisecond, own/20) {
		t.Errorf("CPU = %v, the member's own account %v, %v of it before the spin", s.CPU, own, before)
	}
}

func hasController(dir, name string) bool {
	if dir == "" {
		return false
	}
	b, _ := os.ReadFile(filepath.Join(dir, "cgroup.controllers"))
	for _, c := range strings.Fields(string(b)) {
		if c == name {
			return true
		}
	}
	return false
}

func exists(path string) bool { _, err := os.Stat(path); return err == nil }

func show(v *uint64) any {
	if v == nil {
		return "nil"
	}
	return *v
}
