package sampler

import (
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/proc"
	"github.com/soakrun/soakrun/samples"
)

func TestTreeSumsRealMembers(t *testing.T) {
	// The baseline of one helper that holds nothing, so the expected sum
	// is what the holders hold plus what each costs to exist.
	base := New(Config{Members: ownChildren})
	startHolders(t, 0)
	empty := base.Sample(samples.KindStart)
	if empty.ProcessMemoryMB == nil || *empty.ProcessCount != 1 {
		t.Fatalf("baseline: memory %v, count %v", empty.ProcessMemoryMB, empty.ProcessCount)
	}
	baseline := *empty.ProcessMemoryMB

	startHolders(t, 60, 90, 150)
	smp := New(Config{Members: ownChildren, Top: 2})
	s := smp.Sample(samples.KindStart)
	want := baseline*4 + 60 + 90 + 150
	got := *s.ProcessMemoryMB
	t.Logf("tree RSS %.1f MB, expected %.1f (baseline %.1f MB per helper)", got, want, baseline)
	if math.Abs(got-want) > want*0.10 {
		t.Errorf("tree RSS %.1f MB, want %.1f ± 10%%", got, want)
	}
	if *s.ProcessCount != 4 || *s.ProcessZombies != 0 {
		t.Errorf("count %d zombies %d, want 4 and 0", *s.ProcessCount, *s.ProcessZombies)
	}
	if s.ProcessThreads == nil || *s.ProcessThreads < 4 {
		t.Errorf("threads %v, want at least one per member", s.ProcessThreads)
	}
	if s.ProcessHandles == nil || *s.ProcessHandles < 4*3 {
		t.Errorf("handles %v, want at least stdin, stdout and stderr per member", s.ProcessHandles)
	}
	if s.ProcessIOReadBytes == nil || s.ProcessIOWriteBytes == nil {
		t.Error("I/O counters of our own children are null")
	}
	// The two largest by memory lead; members largest only by fds or
	// threads may follow them.
	if len(s.Top) < 2 || len(s.Top) > 4 || s.Top[0].RSSMB < 150 || s.Top[1].RSSMB < 90 || s.Top[1].RSSMB > 150 {
		t.Errorf("top = %+v, want the 150 MB and 90 MB holders first", s.Top)
	}
	for _, m := range s.Top {
		if m.Threads == nil || *m.Threads < 1 || m.Handles == nil || *m.Handles < 3 {
			t.Errorf("top member %d: threads %v, handles %v; want its own counts", m.PID, m.Threads, m.Handles)
		}
	}
	if len(s.Top) > 0 && s.Top[0].Name == "" {
		t.Error("top member has no name")
	}
}

// The tree's CPU is that of the stretch between two samples: a spinning
// child's, as the child's own account has it. The tree is the child alone,
// so that a sample is quick beside a host of thousands of processes, and
// the stretch lasts until the child has used 300 ms of CPU, however little
// of a core a loaded machine gives it.
func TestTreeCPUIsRecent(t *testing.T) {
	cmd := testproc.Command("spin", "1m")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	child := func() ([]proc.Process, error) {
		p, err := proc.Get(cmd.Process.Pid)
		return []proc.Process{p}, err
	}
	smp := New(Config{Members: child})
	// The child's own account over the same stretch is the reference:
	// under software emulation (the kernels harness's TCG guests) a
	// spinning process can be charged more CPU than wall time passes.
	cpuNow := func() time.Duration {
		ps, err := child()
		if err != nil {
			t.Fatal(err)
		}
		return ps[0].CPUTime
	}
	cpu0, t0 := cpuNow(), time.Now()
	smp.Sample(samples.KindStart)
	for deadline := time.Now().Add(20 * time.Second); cpuNow()-cpu0 < 300*time.Millisecond && time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
	}
	s := smp.Sample(samples.KindInterval)
	own := float64(cpuNow()-cpu0) / float64(time.Since(t0)) * 100
	if s.ProcessCPUPercent == nil {
		t.Fatal("a spinning child's CPU is null")
	}
	t.Logf("tree CPU %.1f%%, the child's own account %.1f%% over %s", *s.ProcessCPUPercent, own, time.Since(t0).Round(time.Millisecond))
	if cpu := *s.ProcessCPUPercent; cpu <= 0 || cpu > 1.25*own+10 || cpu < 0.75*own-10 {
		t.Errorf("a spinning child's CPU = %.1f%%, its own account %.1f%%", cpu, own)
	}
}

func TestRunTakesFirstAndLastSamples(t *testing.T) {
	smp := New(Config{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var kinds []string
	smp.Run(ctx, time.Hour, func(s samples.Snapshot) { kinds = append(kinds, s.Kind) })
	if len(kinds) != 2 || kinds[0] != samples.KindStart || kinds[1] != samples.KindExit {
		t.Errorf("kinds = %v, want [start exit]", kinds)
	}
}

// Run samples at the interval, without drift. The tree is none, so that a
// sample costs little: listing a host of thousands of processes (another
// package's test) made each one longer than the interval.
func TestRunKeepsTheInterval(t *testing.T) {
	smp := New(Config{Members: func() ([]proc.Process, error) { return nil, nil }})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var mu sync.Mutex
	var at []float64
	smp.Run(ctx, 200*time.Millisecond, func(s samples.Snapshot) {
		mu.Lock()
		at = append(at, s.TimestampUnix)
		mu.Unlock()
	})
	// start + 10 ticks + exit; a loaded machine may lose a tick or two.
	if len(at) < 9 || len(at) > 12 {
		t.Fatalf("%d samples in 2 s at 200 ms, want 9 to 12", len(at))
	}
	ticks := at[1 : len(at)-1]
	mean := (ticks[len(ticks)-1] - ticks[0]) / float64(len(ticks)-1)
	if mean < 0.18 || mean > 0.25 {
		t.Errorf("mean spacing %.3f s, want 0.2", mean)
	}
}

// TestQuietMembersStayExact follows a member through its busy start and its
// sleep: while it sleeps the listing repeats it and the usage reader reads
// only its memory again, and the sums must still be what a fresh read of
// /proc says.
func TestQuietMembersStayExact(t *testing.T) {
	cmd := exec.Command("sh", "-c", "exec 3</dev/null; sleep 0.3; exec 4</dev/null 5</dev/null; exec sleep 60")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	table := proc.NewTable()
	defer table.Close()
	var quiet bool
	members := func() ([]proc.Process, error) {
		all, err := table.List()
		tree := proc.Descendants(all, os.Getpid())
		quiet = len(tree) == 1 && tree[0].Quiet
		return tree, err
	}
	smp := New(Config{Members: members})
	smp.Sample(samples.KindStart)
	time.Sleep(time.Second) // past the shell's busy start
	deadline := time.Now().Add(10 * time.Second)
	quietSamples := 0
	for quietSamples < 3 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		s := smp.Sample(samples.KindInterval)
		fds, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", cmd.Process.Pid))
		if err != nil {
			t.Fatal(err)
		}
		statm, err := os.ReadFile(fmt.Sprintf("/proc/%d/statm", cmd.Process.Pid))
		if err != nil {
			t.Fatal(err)
		}
		rss, _ := parseStatm(statm)
		if s.ProcessHandles == nil || *s.ProcessHandles != len(fds) {
			t.Errorf("handles %v, /proc says %d (quiet: %v)", s.ProcessHandles, len(fds), quiet)
		}
		if s.ProcessMemoryMB == nil || *s.ProcessMemoryMB != *mb(rss) {
			t.Errorf("memory %v MB, /proc says %v (quiet: %v)", s.ProcessMemoryMB, *mb(rss), quiet)
		}
		if quiet && slices.ContainsFunc(fds, func(e os.DirEntry) bool { return e.Name() == "5" }) {
			quietSamples++
		}
	}
	if quietSamples < 3 {
		t.Fatal("the sleeping member was never repeated by the listing")
	}
}
