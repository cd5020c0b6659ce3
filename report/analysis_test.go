package report

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/soakrun/soakrun/report/trend"
	"github.com/soakrun/soakrun/samples"
)

func fp(v float64) *float64 { return &v }
func ip(v int) *int         { return &v }

// run builds a series of a two-hour run sampled every 10 s, with tree
// memory from mem(hours) under a GC sawtooth, and handles from fds(hours).
func run(mem, fds func(h float64) float64) *Series {
	s := NewSeries()
	for i := 0; i <= 720; i++ {
		h := float64(i) / 360
		saw := 40 * math.Mod(float64(i), 30) / 30
		m := mem(h) + saw
		s.Add(&samples.Snapshot{
			TimestampUnix: 1e9 + float64(i)*10, Kind: samples.KindInterval,
			CPUPercent: fp(20), MemoryUsedMB: fp(2000 + m), MemoryAvailableMB: fp(10000), DiskUsedGB: fp(50),
			ProcessMemoryMB: fp(m), ProcessHandles: ip(int(fds(h))), ProcessThreads: ip(8), ProcessCount: ip(3), ProcessZombies: ip(0),
			Top: []samples.Member{{Name: "leaker", RSSMB: m - 100}, {Name: "steady", RSSMB: 100 + saw}},
		})
	}
	// A sample taken while the tree was being killed, then the exit
	// sample: the tree is gone.
	s.Add(&samples.Snapshot{TimestampUnix: 1e9 + 7205, Kind: samples.KindStopping, MemoryUsedMB: fp(2000), ProcessMemoryMB: fp(0), ProcessCount: ip(0), ProcessZombies: ip(3)})
	s.Add(&samples.Snapshot{TimestampUnix: 1e9 + 7210, Kind: samples.KindExit, MemoryUsedMB: fp(2000), ProcessMemoryMB: fp(0), ProcessCount: ip(0)})
	return s
}

func flat(float64) float64 { return 200 }

func TestAnalyzeFindsTheLeakAndTheLeaker(t *testing.T) {
	a := Analyze(run(func(h float64) float64 { return 200 + 30*h }, flat), Options{Warmup: -1})
	if a.Verdict != trend.Leak || !a.LeakDetected || len(a.Leaks) != 1 || a.Leaks[0] != TreeMemory {
		t.Fatalf("verdict %s, leaks %v", a.Verdict, a.Leaks)
	}
	if a.Memory.Source != TreeMemory || math.Abs(a.Memory.LeakMBPerHour-30) > 3 {
		t.Errorf("memory %+v, want a 30 MB/h trend of the tree", a.Memory)
	}
	if h := a.Memory.HoursToExhaustion; h == nil || math.Abs(*h-10000/a.Memory.LeakMBPerHour) > 1e-6 {
		t.Errorf("hours to exhaustion %v", h)
	}
	if a.Memory.MinMB < 199 {
		t.Errorf("min %v: the stopping or exit sample's empty tree was counted", a.Memory.MinMB)
	}
	if g := a.TopGrower; g == nil || g.Name != "leaker" || g.Verdict != trend.Leak {
		t.Errorf("top grower %+v, want leaker", g)
	}
	if a.SnapshotCount != 723 || math.Abs(a.DurationHours-2.0028) > 0.001 {
		t.Errorf("count %d, hours %v", a.SnapshotCount, a.DurationHours)
	}
	if !strings.HasPrefix(a.Summary(), "verdict: LEAK in process_memory_mb") {
		t.Errorf("summary %q", a.Summary())
	}
}

func TestAnalyzeSawtoothIsNoLeak(t *testing.T) {
	a := Analyze(run(func(float64) float64 { return 200 }, flat), Options{Warmup: -1})
	if a.LeakDetected || a.Verdict != trend.NoLeak {
		t.Errorf("verdict %s (%v) for a flat floor under a 40 MB sawtooth", a.Verdict, a.Metrics[TreeMemory].Reason)
	}
	if !strings.HasPrefix(a.Summary(), "verdict: NO LEAK") {
		t.Errorf("summary %q", a.Summary())
	}
}

func TestAnalyzeHandleLeakAndThresholdOff(t *testing.T) {
	fds := func(h float64) float64 { return 20 + 40*h }
	a := Analyze(run(func(float64) float64 { return 200 }, fds), Options{Warmup: -1, Thresholds: DefaultThresholds})
	if len(a.Leaks) != 1 || a.Leaks[0] != Handles {
		t.Fatalf("leaks %v, want process_handles (%s)", a.Leaks, a.Metrics[Handles].Reason)
	}
	off := Thresholds{}
	for m, v := range DefaultThresholds {
		off[m] = v
	}
	off[Handles] = math.Inf(1)
	a = Analyze(run(func(float64) float64 { return 200 }, fds), Options{Warmup: -1, Thresholds: off})
	if a.LeakDetected || a.Metrics[Handles].Threshold != nil {
		t.Errorf("handles judged although off: %+v", a.Metrics[Handles])
	}
	if _, err := a.JSON(); err != nil {
		t.Errorf("an unjudged metric does not encode: %v", err)
	}
}

func TestAnalyzeHostOnlyUsesHostMemory(t *testing.T) {
	s := NewSeries()
	for i := range 400 {
		s.Add(&samples.Snapshot{TimestampUnix: float64(i) * 60, MemoryUsedMB: fp(1000 + float64(i)), CPUPercent: fp(float64(i % 50))})
	}
	a := Analyze(s, Options{Warmup: -1})
	if a.Memory.Source != HostMemory || !a.LeakDetected || a.Leaks[0] != HostMemory {
		t.Errorf("source %s, leaks %v", a.Memory.Source, a.Leaks)
	}
	if a.CPU.MaxPercent != 49 || a.CPU.MinPercent != 0 {
		t.Errorf("cpu %+v", a.CPU)
	}
}

func TestAnalyzeShortRunIsInsufficient(t *testing.T) {
	s := NewSeries()
	for i := range 5 {
		s.Add(&samples.Snapshot{TimestampUnix: float64(i), ProcessMemoryMB: fp(float64(100 * i)), ProcessCount: ip(1)})
	}
	a := Analyze(s, Options{Warmup: -1})
	if a.Verdict != trend.Insufficient || a.LeakDetected {
		t.Errorf("verdict %s for 5 samples", a.Verdict)
	}
}

// cpuRun is a two-hour run sampled every 10 s of a flat tree whose CPU is
// cpu(hours) with a few points of jitter.
func cpuRun(cpu func(h float64) float64) *Series {
	s := NewSeries()
	for i := 0; i <= 720; i++ {
		h := float64(i) / 360
		s.Add(&samples.Snapshot{
			TimestampUnix: 1e9 + float64(i)*10, Kind: samples.KindInterval, MemoryUsedMB: fp(2000),
			ProcessMemoryMB: fp(200), ProcessCount: ip(1), ProcessCPUPercent: fp(cpu(h) + float64(i*7%5)),
		})
	}
	return s
}

// The tree's CPU creeping is a degradation, not a leak, and fails the run
// as a leak does unless its threshold is off.
func TestAnalyzeCPUDegradation(t *testing.T) {
	creep := func(h float64) float64 { return 10 + 15*h }
	a := Analyze(cpuRun(creep), Options{Warmup: -1})
	if a.Verdict != trend.Degradation || !a.DegradationDetected || a.LeakDetected || !a.Fails() ||
		len(a.Degradations) != 1 || a.Degradations[0] != TreeCPU {
		t.Fatalf("verdict %s, degradations %v, leaks %v: %s", a.Verdict, a.Degradations, a.Leaks, a.Metrics[TreeCPU].Reason)
	}
	if v := a.Metrics[TreeCPU]; v.Unit != "%" || math.Abs(v.SlopePerHour-15) > 2 || v.Threshold == nil || *v.Threshold != DefaultCPUThreshold {
		t.Errorf("CPU verdict %+v", v)
	}
	if !strings.HasPrefix(a.Summary(), "verdict: CPU DEGRADATION in process_cpu_percent — median rose") {
		t.Errorf("summary %q", a.Summary())
	}
	if md := a.Markdown(cpuRun(creep)); !strings.HasPrefix(md, "**Verdict: CPU DEGRADATION** in process_cpu_percent") {
		t.Errorf("job summary %q", md[:min(len(md), 120)])
	}

	// The live judgement that stops a run early fails it for the same.
	if failing, _ := cpuRun(creep).Leaks(Options{Warmup: -1}); len(failing) != 1 || failing[0] != TreeCPU {
		t.Errorf("live: failing %v, want process_cpu_percent", failing)
	}

	off := Thresholds{}
	for m, v := range DefaultThresholds {
		off[m] = v
	}
	off[TreeCPU] = math.Inf(1)
	a = Analyze(cpuRun(creep), Options{Warmup: -1, Thresholds: off})
	if a.Fails() || a.Verdict != trend.NoLeak || a.Metrics[TreeCPU].Threshold != nil {
		t.Errorf("cpu=off: verdict %s, %+v", a.Verdict, a.Metrics[TreeCPU])
	}
	a = Analyze(cpuRun(func(float64) float64 { return 30 }), Options{Warmup: -1})
	if a.Fails() || a.Verdict != trend.NoLeak {
		t.Errorf("steady CPU: verdict %s (%s)", a.Verdict, a.Metrics[TreeCPU].Reason)
	}
}

// Samples that missed members (process_unread) describe a smaller tree
// than the real one: a run whose reads fell short halfway, summing a
// third of the members from then on, is not judged to have shrunk, and
// the samples are counted.
func TestIncompleteSamplesAreNotJudged(t *testing.T) {
	s := NewSeries()
	for i := 0; i <= 720; i++ {
		snap := &samples.Snapshot{
			TimestampUnix: 1e9 + float64(i)*10, Kind: samples.KindInterval, MemoryUsedMB: fp(2000),
			ProcessMemoryMB: fp(900 + float64(i%30)), ProcessHandles: ip(300), ProcessThreads: ip(30), ProcessCount: ip(30),
			CgroupMemoryNoCacheMB: fp(800),
		}
		if i > 360 {
			snap.ProcessMemoryMB, snap.ProcessHandles, snap.ProcessCount = fp(300), ip(100), ip(10)
			snap.ProcessUnread = ip(20)
		}
		s.Add(snap)
	}
	if s.Incomplete() != 360 {
		t.Errorf("%d incomplete samples, want 360", s.Incomplete())
	}
	if c := s.cols[TreeMemory]; c.min < 900 || c.n != 361 {
		t.Errorf("tree memory from %d samples with minimum %.0f: the incomplete ones were judged", c.n, c.min)
	}
	if c := s.cols[Processes]; c.min != 30 {
		t.Errorf("process count minimum %.0f: an incomplete count was taken", c.min)
	}
	if c := s.cols[CgroupMemory]; c.n != 721 {
		t.Errorf("the cgroup's figure from %d samples, want all 721: the kernel's account is whole", c.n)
	}
}

// A sample taken after the tree's last member ended and before the
// command was reaped holds zeros, not the workload: it is left out, as the
// exit sample is, and a leak that ran to the end stays a leak.
func TestEmptyTreeSampleIsNotTheWorkload(t *testing.T) {
	s := NewSeries()
	for i := range 30 {
		mb := 25 + 0.8*float64(i)
		s.Add(&samples.Snapshot{TimestampUnix: 1e9 + 0.1*float64(i), Kind: samples.KindInterval, ProcessMemoryMB: fp(mb), ProcessCount: ip(1)})
	}
	// The last member exited: a Windows process whose handle is still
	// open reads 0 MB, a zombie too; then the tree is empty.
	s.Add(&samples.Snapshot{TimestampUnix: 1e9 + 3.0, Kind: samples.KindInterval, ProcessMemoryMB: fp(0), ProcessCount: ip(1)})
	s.Add(&samples.Snapshot{TimestampUnix: 1e9 + 3.1, Kind: samples.KindInterval, ProcessMemoryMB: fp(0.1), ProcessCount: ip(1), ProcessZombies: ip(1)})
	s.Add(&samples.Snapshot{TimestampUnix: 1e9 + 3.2, Kind: samples.KindInterval, ProcessMemoryMB: fp(0), ProcessCount: ip(0)})
	s.Add(&samples.Snapshot{TimestampUnix: 1e9 + 3.3, Kind: samples.KindExit, ProcessMemoryMB: fp(0), ProcessCount: ip(0)})
	a := Analyze(s, Options{Thresholds: DefaultThresholds, Warmup: 500 * time.Millisecond, MinSpan: time.Second})
	m := a.Metrics[TreeMemory]
	if a.Verdict != trend.Leak || m.Last != 25+0.8*29 {
		t.Errorf("verdict %s, tree memory %s (last %.1f): want a leak, its last point the last member's", a.Verdict, m.Reason, m.Last)
	}
}
