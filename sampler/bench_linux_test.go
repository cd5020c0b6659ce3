package sampler

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"testing"

	"github.com/shirou/gopsutil/v4/process"

	"github.com/soakrun/soakrun/proc"
)

// startSleepers starts n sleep(1) processes as children of the test binary:
// a tree as wide as a big soak's, at a few hundred KB each.
func startSleepers(b *testing.B, n int) {
	b.Helper()
	for range n {
		cmd := exec.Command("sleep", "600")
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	}
}

// BenchmarkSample is one whole snapshot, host and tree, the work done every
// --interval. With 500 members at one sample a second, 10 ms per op is 1% of
// one core.
func BenchmarkSample(b *testing.B) {
	for _, n := range []int{1, 100, 1000} {
		b.Run(fmt.Sprintf("tree=%d", n), func(b *testing.B) {
			startSleepers(b, n)
			table := proc.NewTable()
			defer table.Close()
			members := func() ([]proc.Process, error) {
				all, err := table.List()
				return proc.Descendants(all, os.Getpid()), err
			}
			smp := New(Config{Members: members, Top: 5})
			if got := *smp.Sample(KindStart).ProcessCount; got != n {
				b.Fatalf("tree has %d members, want %d", got, n)
			}
			b.ResetTimer()
			for b.Loop() {
				smp.Sample(KindInterval)
			}
		})
	}
}

// BenchmarkTreeReaders compares this package's per-member reader with
// gopsutil's, over the same 100 members: the measurement behind reading
// /proc directly on Linux.
func BenchmarkTreeReaders(b *testing.B) {
	startSleepers(b, 100)
	members, err := ownChildren()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("soakrun", func(b *testing.B) {
		table, usage := proc.NewTable(), newUsageReader()
		defer table.Close()
		for b.Loop() {
			all, _ := table.List()
			for _, p := range proc.Descendants(all, os.Getpid()) {
				usage.read(p)
			}
			usage.sweep()
		}
	})
	b.Run("gopsutil", func(b *testing.B) {
		ctx := context.Background()
		for b.Loop() {
			all, _ := process.ProcessesWithContext(ctx)
			for _, gp := range all {
				if ppid, _ := gp.PpidWithContext(ctx); int(ppid) != os.Getpid() {
					continue
				}
				gp.MemoryInfoWithContext(ctx)
				gp.TimesWithContext(ctx)
				gp.NumThreadsWithContext(ctx)
				gp.NumFDsWithContext(ctx)
				gp.IOCountersWithContext(ctx)
			}
		}
	})
	_ = members
}
