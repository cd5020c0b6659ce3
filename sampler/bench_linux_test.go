package sampler

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/shirou/gopsutil/v4/process"

	"github.com/soakrun/soakrun/internal/fdbudget"
	"github.com/soakrun/soakrun/proc"
	"github.com/soakrun/soakrun/samples"
)

// startTree starts n single-threaded processes as children of the test
// binary, at a few hundred KB each: sleep(1), which never runs again, or
// with waking, perl loops that wake every wakeEvery.
func startTree(b *testing.B, n int, waking bool) {
	b.Helper()
	argv := []string{"sleep", "600"}
	if waking {
		if _, err := exec.LookPath("perl"); err != nil {
			b.Skip("perl is not installed")
		}
		argv = []string{"perl", "-e", fmt.Sprintf("select(undef, undef, undef, %g) while 1", wakeEvery.Seconds())}
	}
	for range n {
		cmd := exec.Command(argv[0], argv[1:]...)
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	}
}

const wakeEvery = 100 * time.Millisecond

// BenchmarkSample is one whole snapshot, host and tree, the work done every
// --interval. With 500 members at one sample a second, 10 ms per op is 1% of
// one core. Sleeping members cost the least: the table finds that they have
// not run and reads only their memory again. Waking members have all run
// since the previous sample (the benchmark waits out their period, off the
// clock, between samples), so each is read in full, as every member of a
// tree that works is; only the largest tree is paced so, since the testing
// package runs a short op thousands of times.
func BenchmarkSample(b *testing.B) {
	for _, tc := range []struct {
		members string
		n       int
	}{{"sleeping", 1}, {"sleeping", 100}, {"sleeping", 1000}, {"waking", 1000}} {
		b.Run(fmt.Sprintf("members=%s/tree=%d", tc.members, tc.n), func(b *testing.B) {
			waking := tc.members == "waking"
			smp := treeSampler(b, tc.n, waking)
			eachSample(b, waking, func() { smp.Sample(samples.KindInterval) })
		})
	}
}

// treeSampler starts a tree of n members (see startTree) and returns a
// sampler of it that has taken its start sample.
func treeSampler(b *testing.B, n int, waking bool) *Sampler {
	startTree(b, n, waking)
	table := proc.NewTable()
	b.Cleanup(func() { table.Close() })
	list := func() ([]proc.Process, error) {
		all, err := table.List()
		return proc.Descendants(all, os.Getpid()), err
	}
	smp := New(Config{Members: list, Top: 5})
	if got := *smp.Sample(samples.KindStart).ProcessCount; got != n {
		b.Fatalf("tree has %d members, want %d", got, n)
	}
	return smp
}

// eachSample runs sample under b.Loop. With waking members it first waits,
// off the clock, until every member has run again.
func eachSample(b *testing.B, waking bool, sample func()) {
	for b.Loop() {
		if waking {
			b.StopTimer()
			time.Sleep(wakeEvery + 10*time.Millisecond)
			b.StartTimer()
		}
		sample()
	}
}

// BenchmarkTreeReaders compares this package's per-member reader with
// gopsutil's, over the same 1000 members: the measurement behind reading
// /proc directly on Linux. Over waking members both read every member in
// full; over sleeping ones soakrun's reader also skips what has not run.
func BenchmarkTreeReaders(b *testing.B) {
	for _, members := range []string{"sleeping", "waking"} {
		b.Run("members="+members, func(b *testing.B) {
			waking := members == "waking"
			startTree(b, 1000, waking)
			b.Run("soakrun", func(b *testing.B) {
				table, usage := proc.NewTable(), newUsageReader()
				defer table.Close()
				eachSample(b, waking, func() {
					all, _ := table.List()
					for _, p := range proc.Descendants(all, os.Getpid()) {
						usage.read(p)
					}
					usage.sweep()
				})
			})
			b.Run("gopsutil", func(b *testing.B) {
				ctx := context.Background()
				eachSample(b, waking, func() {
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
				})
			})
		})
	}
}

// BenchmarkSampleWithinBudget is BenchmarkSample's 500 sleeping members
// under descriptor budgets (see fdbudget) from none to room for every
// member's five files: what reading past the budget costs, against keeping
// every member's files open. limit is the open-file limit the budget is
// sized from (0: no bound; 50: below the reserve, so nothing is kept).
func BenchmarkSampleWithinBudget(b *testing.B) {
	const n = 500
	for _, limit := range []int{0, 4096, 1024, 256, 50} {
		b.Run(fmt.Sprintf("limit=%d", limit), func(b *testing.B) {
			defer fdbudget.Replace(fdbudget.New(limit))()
			smp := treeSampler(b, n, false)
			eachSample(b, false, func() { smp.Sample(samples.KindInterval) })
			b.ReportMetric(float64(fdbudget.Process().Stats().PeakKept), "files-kept")
		})
	}
}
