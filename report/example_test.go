package report_test

import (
	"fmt"
	"math"

	"github.com/soakrun/soakrun/report"
	"github.com/soakrun/soakrun/samples"
)

// Judging a series: two hours of a tree whose memory floor rises 30 MB an
// hour under a garbage collector's sawtooth, sampled every 10 s.
func ExampleAnalyze() {
	s := report.NewSeries()
	for i := 0; i <= 720; i++ {
		mb := 200 + 30*float64(i)/360 + 40*math.Mod(float64(i), 30)/30
		procs := 3
		s.Add(&samples.Snapshot{TimestampUnix: 1.8e9 + float64(i)*10, Kind: samples.KindInterval, ProcessMemoryMB: &mb, ProcessCount: &procs})
	}
	a := report.Analyze(s, report.Options{Thresholds: report.DefaultThresholds})
	fmt.Println(a.Headline().Title, a.Leaks, a.LeakDetected)
	fmt.Printf("%.0f MB/h\n", a.Memory.LeakMBPerHour)
	// Output:
	// LEAK [process_memory_mb] true
	// 30 MB/h
}
