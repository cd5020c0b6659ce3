package report

import (
	"math"
	"testing"
	"time"

	"github.com/soakrun/soakrun/report/trend"
	"github.com/soakrun/soakrun/samples"
)

// TestLiveTrendJudgesOnTheSamplesClock feeds two hours of a tree leaking
// 30 MB/h, sampled every 10 s, through a Series and a LiveTrend listed
// after it: the trend is judged once per 30 s of samples, and what it
// hands on is the series' own judgement, never an Insufficient one.
func TestLiveTrendJudgesOnTheSamplesClock(t *testing.T) {
	s := NewSeries()
	var got []trend.Result
	live := NewLiveTrend(s, Options{Thresholds: DefaultThresholds, Warmup: -1}, 30*time.Second, func(r trend.Result) { got = append(got, r) })
	for i := 0; i <= 720; i++ {
		h := float64(i) / 360
		snap := &samples.Snapshot{TimestampUnix: 1e9 + float64(i)*10, Kind: samples.KindInterval,
			ProcessMemoryMB: fp(200 + 30*h + 40*math.Mod(float64(i), 30)/30), ProcessCount: ip(2)}
		for _, sink := range []samples.Sink{s, live} {
			sink.Add(snap)
		}
	}
	// Judged at samples 0, 3, 6, …, 720: 241 times. Those before the run
	// holds six of its 5-minute collection cycles after a tenth of it as
	// warm-up (33 minutes, 67 judgements) are insufficient and not handed
	// on.
	if len(got) == 0 || len(got) > 241 || len(got) < 170 {
		t.Fatalf("%d results handed on for 241 judgements", len(got))
	}
	for _, r := range got {
		if r.Verdict == trend.Insufficient {
			t.Fatal("an Insufficient trend was handed on")
		}
	}
	last := got[len(got)-1]
	want, _ := s.Trend(TreeMemory, Options{Thresholds: DefaultThresholds, Warmup: -1})
	if last != want || last.Verdict != trend.Leak || math.Abs(last.SlopePerHour-30) > 3 {
		t.Errorf("last live trend %+v, want the series' own %+v, a leak of 30 MB/h", last, want)
	}
}
