package limit

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/soakrun/soakrun/report"
	"github.com/soakrun/soakrun/samples"
)

func fp(v float64) *float64 { return &v }
func ip(v int) *int         { return &v }

func TestCeilings(t *testing.T) {
	for _, tc := range []struct {
		name      string
		ceilings  Ceilings
		snap      samples.Snapshot
		wantFired string // "" for none
	}{
		{"memory over", Ceilings{TreeMemoryBytes: 100 << 20}, samples.Snapshot{ProcessMemoryMB: fp(100.5)}, "tree memory 100.5 MB (RSS sum) is over the ceiling of 100.0 MB"},
		{"memory over, processes not", Ceilings{TreeMemoryBytes: 100 << 20, Processes: 5}, samples.Snapshot{ProcessMemoryMB: fp(101), ProcessCount: ip(5)}, "tree memory 101.0 MB (RSS sum) is over the ceiling of 100.0 MB"},
		{"the kernel's charge over", Ceilings{TreeMemoryBytes: 100 << 20}, samples.Snapshot{ProcessMemoryMB: fp(90), CgroupMemoryNoCacheMB: fp(120)}, "tree memory 120.0 MB (kernel's charge less page cache) is over the ceiling of 100.0 MB"},
		{"the kernel's charge under, shared pages counted once", Ceilings{TreeMemoryBytes: 100 << 20}, samples.Snapshot{ProcessMemoryMB: fp(400), CgroupMemoryNoCacheMB: fp(80)}, ""},
		{"memory at", Ceilings{TreeMemoryBytes: 100 << 20}, samples.Snapshot{ProcessMemoryMB: fp(100)}, ""},
		{"memory unknown", Ceilings{TreeMemoryBytes: 1}, samples.Snapshot{}, ""},
		{"processes with zombies", Ceilings{Processes: 10}, samples.Snapshot{ProcessCount: ip(8), ProcessZombies: ip(3)}, "11 processes in the tree are over the ceiling of 10"},
		{"processes at", Ceilings{Processes: 10}, samples.Snapshot{ProcessCount: ip(10), ProcessZombies: ip(0)}, ""},
		{"no ceilings", Ceilings{}, samples.Snapshot{ProcessMemoryMB: fp(1e9), ProcessCount: ip(1e6)}, ""},
		{"being stopped", Ceilings{Processes: 1}, samples.Snapshot{Kind: samples.KindStopping, ProcessCount: ip(5)}, ""},
		{"exit sample", Ceilings{Processes: 1}, samples.Snapshot{Kind: samples.KindExit, ProcessCount: ip(5)}, ""},
	} {
		var got []Trigger
		w := &Watch{Ceilings: tc.ceilings, OnTrigger: func(s Trigger) { got = append(got, s) }}
		if tc.snap.Kind == "" {
			tc.snap.Kind = samples.KindInterval
		}
		w.Add(&tc.snap)
		w.Add(&tc.snap) // once only
		switch {
		case tc.wantFired == "" && len(got) != 0:
			t.Errorf("%s: stopped: %+v", tc.name, got)
		case tc.wantFired != "" && (len(got) != 1 || got[0].Cause != wantCause(tc.wantFired) || got[0].Reason != tc.wantFired):
			t.Errorf("%s: stops %+v, want one: %q", tc.name, got, tc.wantFired)
		}
	}
}

// feed runs a two-hour series, a sample every 10 s, through a series and a
// watch listed after it, and returns when the watch stopped the run
// (seconds from the start; -1 for never) and why.
func feed(mem func(h float64) float64, o report.Options) (float64, Trigger) {
	return feedCPU(mem, func(float64) float64 { return 10 }, o)
}

// seriesOf is feed's series whole, for the final verdict.
func seriesOf(mem func(h float64) float64) *report.Series {
	s := report.NewSeries()
	for i := 0; i <= 720; i++ {
		s.Add(snapshot(i, mem(float64(i)/360), 10))
	}
	return s
}

func snapshot(i int, mem, cpu float64) *samples.Snapshot {
	return &samples.Snapshot{TimestampUnix: 1e9 + float64(i)*10, Kind: samples.KindInterval,
		MemoryUsedMB: fp(2000), DiskUsedGB: fp(50), ProcessMemoryMB: fp(mem + 40*math.Mod(float64(i), 30)/30),
		ProcessHandles: ip(30), ProcessThreads: ip(8), ProcessCount: ip(3), ProcessZombies: ip(0),
		ProcessCPUPercent: fp(cpu + float64(i%5) - 2)}
}

// feedCPU is feed with the tree's CPU too.
func feedCPU(mem, cpu func(h float64) float64, o report.Options) (float64, Trigger) {
	s := report.NewSeries()
	at, why := -1.0, Trigger{}
	w := &Watch{Series: s, Options: o, StopOnLeak: true}
	w.OnTrigger = func(st Trigger) { why = st }
	for i := 0; i <= 720 && at < 0; i++ {
		h := float64(i) / 360
		snap := snapshot(i, mem(h), cpu(h))
		s.Add(snap)
		w.Add(snap)
		if why.Cause != 0 {
			at = float64(i) * 10
		}
	}
	return at, why
}

// A leak is called as soon as the final verdict's rules call it, which is
// not before the minimum span after the warm-up; a flat floor under a
// sawtooth is never called.
func TestWatchCallsTheVerdictEarly(t *testing.T) {
	o := report.Options{Warmup: -1, MinSpan: 20 * time.Minute}
	at, why := feed(func(h float64) float64 { return 200 + 100*h }, o)
	if at < 0 || why.Cause != Leak || why.Reason != "leak in process_memory_mb" {
		t.Fatalf("stopped at %g s: %+v; want a memory leak", at, why)
	}
	// The warm-up is a tenth of the run so far (span*0.9 >= 20 min), and
	// the finding is confirmed when the run is half as long again.
	if minAt := 1.5 * 20 * 60 / 0.9; at < minAt || at > 3600 {
		t.Errorf("stopped at %.0f s, want after %.0f s (the minimum span after the warm-up, confirmed) and within the first hour", at, minAt)
	}
	t.Logf("a 100 MB/h leak is called after %.0f min", at/60)

	if at, why := feed(func(float64) float64 { return 200 }, o); at >= 0 {
		t.Errorf("a flat floor under a sawtooth stopped the run at %g s: %+v", at, why)
	}
	// A start-up ramp that a prefix of the run reads as a leak: 300 MB/h
	// for the first 25 minutes, then flat.
	ramp := func(h float64) float64 { return 200 + 300*min(h, 25.0/60) }
	if at, why := feed(ramp, o); at >= 0 {
		t.Errorf("a 25-minute ramp that then holds stopped the run at %g s: %+v", at, why)
	}
	if a := report.Analyze(seriesOf(ramp), o); a.LeakDetected {
		t.Errorf("the final verdict on the ramp is %s: the case does not test the confirmation", a.Verdict)
	}
	// CPU that creeps up is a degradation by the same rules, and stops
	// the run as a leak does.
	at, why = feedCPU(func(float64) float64 { return 200 }, func(h float64) float64 { return 10 + 30*h }, o)
	if at < 0 || why.Cause != Leak || why.Reason != "degradation in process_cpu_percent" {
		t.Errorf("CPU creeping 30 points an hour: stopped at %g s: %+v; want a degradation", at, why)
	}
	t.Logf("CPU creeping 30 points an hour is called after %.0f min", at/60)

	// Below the threshold: judged, significant, but not a leak.
	o.Thresholds = report.Thresholds{report.TreeMemory: 500}
	if at, why := feed(func(h float64) float64 { return 200 + 100*h }, o); at >= 0 {
		t.Errorf("growth under the threshold stopped the run at %g s: %+v", at, why)
	}
}

func wantCause(reason string) Cause {
	if strings.HasPrefix(reason, "tree memory") {
		return MemoryCeiling
	}
	return ProcessCeiling
}

// Suspect is told once, at the first judgement that finds a leak, before
// any stop; without StopOnLeak the run is never stopped for it.
func TestWatchSuspectsOnceWithoutStopping(t *testing.T) {
	o := report.Options{Warmup: -1, MinSpan: 20 * time.Minute}
	s := report.NewSeries()
	var suspected []Trigger
	stopped := false
	w := &Watch{Series: s, Options: o, OnTrigger: func(Trigger) { stopped = true }, Suspect: func(st Trigger) { suspected = append(suspected, st) }}
	for i := 0; i <= 720; i++ {
		snap := snapshot(i, 200+100*float64(i)/360, 20)
		s.Add(snap)
		w.Add(snap)
	}
	if len(suspected) != 1 || suspected[0].Cause != Leak || stopped {
		t.Errorf("suspected %+v, stopped %v: want one suspicion of a leak and no stop", suspected, stopped)
	}
}
