package sampler

import (
	"math"
	"testing"
	"time"

	"github.com/soakrun/soakrun/cgroup"
	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/samples"
)

// A pre-forking pool whose workers copy the parent's pages: the RSS sum
// counts every shared page once per process and reads the whole pool from
// the start, while the kernel's charge grows as the pages are copied and
// then holds. (The pool joins its cgroup once Go's runtime has started, a
// few MB that PSS counts and the charge does not: a 200 MB pool keeps
// them well inside the 10%.) The tree's PSS, read without a cgroup, and the charge less
// cache, read with one, both follow the charge within 10% at every sample.
func TestCopyOnWritePoolFollowsTheCharge(t *testing.T) {
	p := testproc.Cgroup(t)
	if p.Memory == "" {
		t.Skip("no v1 memory hierarchy to charge the pool to")
	}
	join := []string{"join", p.Memory}
	if p.Unified != "" {
		join = append(join, p.Unified)
	}
	testproc.Start(t, testproc.Command(append(join, "--", "cow-pool", "200", "4", "40", "2m")...), 1, nil)
	withCgroup := New(Config{Members: ownChildren, Cgroup: func() cgroup.Paths { return p }})
	defer withCgroup.Close()
	without := New(Config{Members: ownChildren})
	var first, last float64
	pssSeen := 0
	// Samples until the pool is copied and PSS was read twice: on a busy
	// machine the workers' 5 s of copying can take several times that, and
	// a sample (a PSS sweep of a gigabyte, under the race detector) seconds.
	start := time.Now()
	for i := 0; ; i++ {
		// The pool grows while the tree is read: the charge before and
		// after bound what the PSS sweep saw.
		c := withCgroup.Sample(samples.KindInterval)
		s := without.Sample(samples.KindInterval)
		after := withCgroup.Sample(samples.KindInterval)
		if c.CgroupMemoryMB == nil || c.CgroupMemoryNoCacheMB == nil || after.CgroupMemoryMB == nil {
			t.Fatal("no cgroup memory figures")
		}
		// With the kernel keeping the totals, members are read for their
		// fds and I/O alone; the RSS sum is the listing's.
		if i > 0 && c.ProcessCount != nil && (c.ProcessIOWriteBytes == nil || c.ProcessHandles == nil || c.ProcessMemoryMB == nil) {
			t.Errorf("sample %d with a cgroup: io %v, handles %v, RSS sum %v; want a count, a count, a sum", i, c.ProcessIOWriteBytes, c.ProcessHandles, c.ProcessMemoryMB)
		}
		charge := *c.CgroupMemoryMB
		if i == 0 {
			first = charge
		}
		last = *after.CgroupMemoryMB
		if math.Abs(*c.CgroupMemoryNoCacheMB-charge) > charge*0.10 {
			t.Errorf("sample %d: charge less cache %.1f MB, charge %.1f MB", i, *c.CgroupMemoryNoCacheMB, charge)
		}
		if s.ProcessPSSMB != nil {
			pssSeen++
			lo, hi := min(charge, *after.CgroupMemoryMB), max(charge, *after.CgroupMemoryMB)
			t.Logf("sample %d: charge %.1f–%.1f MB, PSS %.1f MB, RSS sum %.1f MB", i, lo, hi, *s.ProcessPSSMB, *s.ProcessMemoryMB)
			if *s.ProcessPSSMB < lo*0.9 || *s.ProcessPSSMB > hi*1.1 {
				t.Errorf("sample %d: PSS %.1f MB, charge %.1f–%.1f MB: more than 10%% apart", i, *s.ProcessPSSMB, lo, hi)
			}
		}
		if last >= 950 && pssSeen >= 2 || time.Since(start) > 45*time.Second {
			break
		}
		time.Sleep(400 * time.Millisecond)
	}
	// A sweep costs what the pool's pages take to walk (10–30 ms of CPU
	// here), and PSSBudget spaces the sweeps by 200 times that: the first
	// sample and at least one while the pool grows.
	if pssSeen < 2 {
		t.Errorf("PSS read in %d samples of a five-process tree, in %s", pssSeen, time.Since(start).Round(time.Second))
	}
	// 200 MB in the parent and, once copied, 200 MB in each of four workers.
	if first > 600 || last < 950 {
		t.Errorf("charge went from %.1f to %.1f MB, want growth from about 200 to about 1000", first, last)
	}
}
