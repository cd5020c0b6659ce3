package evidence

import (
	"cmp"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/soakrun/soakrun/cgroup"
	"github.com/soakrun/soakrun/proc"
)

// Largest is how many of the tree's largest members a breakdown reads.
const Largest = 8

// Measure takes a breakdown of the n largest live members by resident
// memory (the listing's figure) and of the run's cgroup, where one ran.
// Members that cannot be read (gone, or not this platform) are left out.
func Measure(members []proc.Process, cg cgroup.Paths, n int) Breakdown {
	b := Breakdown{At: float64(time.Now().UnixMicro()) / 1e6, Cgroup: cgroupMemory(cg)}
	for _, m := range largest(members, n) {
		if p, err := readProcess(m); err == nil {
			b.Processes = append(b.Processes, p)
		}
	}
	return b
}

// largest are the n live members with the most resident memory.
func largest(members []proc.Process, n int) []proc.Process {
	live := slices.DeleteFunc(slices.Clone(members), func(p proc.Process) bool { return p.Zombie })
	slices.SortStableFunc(live, func(a, b proc.Process) int { return cmp.Compare(b.RSSBytes, a.RSSBytes) })
	return live[:min(n, len(live))]
}

// cgroupMemory reads the cgroup's memory.stat: the v2 directory's where its
// memory controller is on, else the v1 memory directory's.
func cgroupMemory(cg cgroup.Paths) *Cgroup {
	if cg.Unified != "" {
		if b, err := os.ReadFile(filepath.Join(cg.Unified, "memory.stat")); err == nil {
			if m, err := cgroup.ParseMemoryStat(b); err == nil {
				return &Cgroup{Bytes: map[string]uint64{
					"anon": m.Anon, "file": m.File, "shmem": m.Shmem, "kernel_stack": m.KernelStack,
					"pagetables": m.PageTables, "slab": m.Slab, "sock": m.Sock,
				}}
			}
		}
	}
	if cg.Memory != "" {
		if b, err := os.ReadFile(filepath.Join(cg.Memory, "memory.stat")); err == nil {
			if m, err := cgroup.ParseMemoryStatV1(b); err == nil {
				return &Cgroup{Bytes: map[string]uint64{"anon": m.Anon, "file": m.File, "shmem": m.Shmem}}
			}
		}
	}
	return nil
}
