package report

import (
	"bufio"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/samples"
)

// writeRun writes n one-second samples shaped like soakrun's own lines: a
// GC sawtooth over a floor that rises 12 MB/h, with a --top list.
func writeRun(tb testing.TB, path string, n int) {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	f64 := func(v float64) *float64 { return &v }
	i64 := func(v int) *int { return &v }
	u64 := func(v uint64) *uint64 { return &v }
	for i := range n {
		t := 1.7e9 + float64(i)
		mem := 300 + 12*float64(i)/3600 + 80*math.Mod(float64(i), 900)/900
		enc.Encode(samples.Snapshot{
			TimestampUTC: "2026-01-01T00:00:00.000000Z", TimestampUnix: t, Kind: samples.KindInterval,
			CPUPercent: f64(12.5), CPUCount: i64(2), CPUFreqMHz: f64(2300),
			MemoryTotalMB: f64(24105.559), MemoryUsedMB: f64(2000 + mem), MemoryAvailableMB: f64(22000 - mem), MemoryPercent: f64(9.1),
			DiskTotalGB: f64(251.972), DiskUsedGB: f64(11.775), DiskFreeGB: f64(79.3), DiskPercent: f64(12.9),
			NetworkBytesSent: u64(144253), NetworkBytesRecv: u64(18674174),
			Hostname: "runner", Platform: "linux-6.1.0-x86_64 (debian 12)", SoakrunVersion: "dev",
			ProcessCPUPercent: f64(4), ProcessMemoryMB: f64(mem), ProcessMemoryPercent: f64(1.2), ProcessThreads: i64(27),
			ProcessCount: i64(4), ProcessHandles: i64(38), ProcessZombies: i64(0),
			ProcessIOReadBytes: u64(2301952), ProcessIOWriteBytes: u64(12288),
			Top: []samples.Member{{PID: 100, Name: "python", RSSMB: mem - 40, CPUPercent: f64(3)}, {PID: 101, Name: "worker", RSSMB: 30, CPUPercent: f64(1)}, {PID: 102, Name: "sh", RSSMB: 2, CPUPercent: f64(0)}},
		})
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkAnalyze72h reads and judges a 72-hour run sampled every second:
// 259,200 lines.
func BenchmarkAnalyze72h(b *testing.B) {
	path := filepath.Join(testproc.TempDir(b), "run.jsonl")
	writeRun(b, path, 259200)
	fi, _ := os.Stat(path)
	b.SetBytes(fi.Size())
	b.ResetTimer()
	for b.Loop() {
		s, _, err := ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		if a := Analyze(s, Options{Thresholds: DefaultThresholds, Warmup: -1}); !a.LeakDetected {
			b.Fatalf("verdict %s, want a leak", a.Verdict)
		}
	}
}

// BenchmarkLeaks72h is one live judgement of a full 72-hour series, as
// --abort-on-leak makes at most every 30 s.
func BenchmarkLeaks72h(b *testing.B) {
	path := filepath.Join(testproc.TempDir(b), "run.jsonl")
	writeRun(b, path, 259200)
	s, _, err := ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if leaks, _ := s.Leaks(Options{Thresholds: DefaultThresholds, Warmup: -1}); len(leaks) == 0 {
			b.Fatal("no leak")
		}
	}
}
