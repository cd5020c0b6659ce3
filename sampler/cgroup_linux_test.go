package sampler

import (
	"testing"
	"time"

	"github.com/soakrun/soakrun/cgroup"
	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/proc"
	"github.com/soakrun/soakrun/samples"
)

// With a cgroup every sample has the kernel's totals, while the members
// are read only as often as TreeWalkBudget allows, and always at the
// run's ends.
func TestCgroupSamplesWalkTheTreeWithinBudget(t *testing.T) {
	p := testproc.Cgroup(t)
	args := []string{"join"}
	for _, d := range []string{p.Unified, p.Memory, p.Pids, p.CPUAcct} {
		if d != "" {
			args = append(args, d)
		}
	}
	for range 3 {
		testproc.Start(t, testproc.Command(append(args, "--", "hold", "20", "60s")...), 1, nil)
	}
	// A listing that costs 5 ms of CPU, which the budget spaces 2.5 s
	// apart (the members as listed once: reading the whole process table
	// again would cost more, and vary).
	members, err := ownChildren()
	if err != nil {
		t.Fatal(err)
	}
	listing := func() ([]proc.Process, error) {
		for start := threadCPU(); threadCPU()-start < 5*time.Millisecond; {
		}
		return members, nil
	}
	smp := New(Config{Members: listing, Top: 2, Cgroup: func() cgroup.Paths { return p }})
	defer smp.Close()
	smp.interval = time.Second // as Run sets it; under a second every sample walks
	if s := smp.Sample(samples.KindStart); s.ProcessCount == nil || *s.ProcessCount != 3 {
		t.Fatalf("start sample: process_count %v, want 3", s.ProcessCount)
	}
	// Sampled every 50 ms for 5 s; the first walks (the start's among
	// them) open the listing's files and cost more.
	walks, n := 0, 0
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		n++
		s := smp.Sample(samples.KindInterval)
		if s.CgroupMemoryMB == nil || *s.CgroupMemoryMB < 60 || s.CgroupTasks == nil {
			t.Fatalf("interval sample without the kernel's totals: memory %v, tasks %v", s.CgroupMemoryMB, s.CgroupTasks)
		}
		if s.ProcessCount != nil {
			walks++
			// The I/O is read too: the cgroup's count misses buffered
			// writes under v1, and only a member's names the writer.
			if s.ProcessIOWriteBytes == nil || s.ProcessHandles == nil || len(s.Top) < 2 || s.Top[0].IOWriteBytes == nil {
				t.Errorf("a walk with a cgroup: io %v, handles %v, top %d; want counts and at least 2 listed with their writes", s.ProcessIOWriteBytes, s.ProcessHandles, len(s.Top))
			}
		}
	}
	t.Logf("%d walks in %d samples", walks, n)
	if walks < 1 || walks > n/10 {
		t.Errorf("%d walks in %d samples 50 ms apart: want some, at most one in ten", walks, n)
	}
	if s := smp.Sample(samples.KindExit); s.ProcessCount == nil {
		t.Error("the exit sample did not read the members")
	}
}
