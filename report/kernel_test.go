package report

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/soakrun/soakrun/report/trend"
	"github.com/soakrun/soakrun/samples"
)

// kernelRun is a two-hour run sampled every 10 s with a cgroup: the RSS
// sum rss(h), the kernel's charge less cache noCache(h), page cache
// cache(h) on top, and oom(h) OOM kills so far.
func kernelRun(rss, noCache, cache func(h float64) float64, oom func(h float64) int) *Series {
	s := NewSeries()
	for i := 0; i <= 720; i++ {
		h := float64(i) / 360
		s.Add(&samples.Snapshot{
			TimestampUnix: 1e9 + float64(i)*10, Kind: samples.KindInterval,
			CPUPercent: fp(20), MemoryUsedMB: fp(2000), MemoryAvailableMB: fp(10000), DiskUsedGB: fp(50),
			ProcessMemoryMB: fp(rss(h)), ProcessHandles: ip(20), ProcessThreads: ip(8), ProcessCount: ip(5), ProcessZombies: ip(0),
			CgroupMemoryMB: fp(noCache(h) + cache(h)), CgroupMemoryNoCacheMB: fp(noCache(h)), CgroupFileMB: fp(cache(h)),
			CgroupOOMKills: ip(oom(h)),
		})
	}
	return s
}

func none(float64) int { return 0 }

// A test that writes files grows the page cache the kernel charges to its
// cgroup: the verdict judges the charge less that cache, and stays calm.
func TestVerdictJudgesTheChargeLessCache(t *testing.T) {
	a := Analyze(kernelRun(flat, flat, func(h float64) float64 { return 500 * h }, none), Options{Warmup: -1})
	if a.Memory.Source != CgroupMemory || a.Verdict != trend.NoLeak {
		t.Fatalf("source %s, verdict %s (%v)", a.Memory.Source, a.Verdict, a.Leaks)
	}
	if _, ok := a.Metrics[TreeMemory]; !ok {
		t.Error("the RSS sum is no longer judged")
	}
	if a.OOMKills == nil || *a.OOMKills != 0 {
		t.Errorf("OOM kills %v, want 0", a.OOMKills)
	}
}

// The copy-on-write pool: the RSS sum reads the whole pool from the first
// sample while the charge grows as the workers copy it. Copying that stops
// is growth then a plateau; copying that never stops is a leak, which the
// RSS sum alone would call no leak.
func TestVerdictCopyOnWritePool(t *testing.T) {
	rss := func(float64) float64 { return 1053 }
	plateau := kernelRun(rss, func(h float64) float64 { return 314 + (1031-314)*min(h/0.8, 1) }, func(float64) float64 { return 5 }, none)
	a := Analyze(plateau, Options{Warmup: -1})
	if a.Verdict != trend.Plateaued || a.Metrics[CgroupMemory].Verdict != trend.Plateaued {
		t.Errorf("a pool that copied its pages and stopped: verdict %s, %s", a.Verdict, a.Metrics[CgroupMemory].Reason)
	}
	forever := kernelRun(rss, func(h float64) float64 { return 314 + 60*h }, func(float64) float64 { return 5 }, none)
	a = Analyze(forever, Options{Warmup: -1})
	if a.Verdict != trend.Leak || len(a.Leaks) != 1 || a.Leaks[0] != CgroupMemory || a.Metrics[TreeMemory].Leak {
		t.Errorf("a pool that keeps copying: verdict %s, leaks %v", a.Verdict, a.Leaks)
	}
	if !strings.Contains(a.Summary(), "RSS sum 1053.0–1053.0 MB") {
		t.Errorf("summary does not report the RSS sum beside the charge: %q", a.Summary())
	}
}

// Any OOM kill is a finding the verdict names, however calm the memory.
func TestVerdictNamesOOMKills(t *testing.T) {
	a := Analyze(kernelRun(flat, flat, flat, func(h float64) int { return int(math.Floor(h * 100)) }), Options{Warmup: -1})
	if a.Verdict != trend.Leak || len(a.Leaks) != 1 || a.Leaks[0] != OOMKills {
		t.Fatalf("verdict %s, leaks %v", a.Verdict, a.Leaks)
	}
	if a.OOMKills == nil || *a.OOMKills != 200 {
		t.Errorf("OOM kills %v, want 200", a.OOMKills)
	}
	if s := a.Summary(); !strings.HasPrefix(s, "verdict: LEAK in cgroup_oom_kills — the kernel's OOM killer killed 200 member(s) of the tree") || !strings.Contains(s, "OOM kills 200") {
		t.Errorf("summary %q", s)
	}
	if md := a.Markdown(nil); !strings.Contains(md, "| OOM kills | 200 |") {
		t.Errorf("job summary lacks the OOM kills:\n%s", md)
	}
}

// An OOM kill that ends the command shows first in the exit sample, whose
// tree figures are the tree's end, not its workload: the kill still counts.
func TestOOMKillInTheExitSampleCounts(t *testing.T) {
	s := kernelRun(flat, flat, flat, func(float64) int { return 0 })
	s.Add(&samples.Snapshot{TimestampUnix: 1e9 + 7300, Kind: samples.KindExit, ProcessCount: ip(0), CgroupOOMKills: ip(1)})
	a := Analyze(s, Options{Warmup: -1})
	if a.OOMKills == nil || *a.OOMKills != 1 || a.Verdict != trend.Leak || !slices.Contains(a.Leaks, OOMKills) {
		t.Errorf("OOM kills %v, verdict %s, leaks %v: want the exit sample's kill counted and named", a.OOMKills, a.Verdict, a.Leaks)
	}
}
