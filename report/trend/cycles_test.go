package trend

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// A heap growing 40 MB/s to 200 MB, collected, growing again: two cycles
// in 10 s, ending mid-climb, used to be a leak "in the last third". Its
// last third must hold two collections to be judged, at every time scale.
func TestAnalyzeFewCycles(t *testing.T) {
	short := Options{Threshold: 10, Warmup: 0, MinSpan: 3, Envelope: true, Unit: "MB"}
	day := Options{Threshold: 10, Warmup: -1, Envelope: true, Unit: "MB"}
	for _, c := range []struct {
		name                     string
		seconds, interval, cycle float64
		o                        Options
		want                     Verdict
	}{
		{"10 s every 200 ms", 10, 0.2, 5, short, Insufficient},
		{"20 s", 20, 0.2, 5, short, Insufficient},
		{"31 s", 31, 0.2, 5, short, NoLeak},
		{"10 min, 5 min cycles", 600, 5, 300, short, Insufficient},
		{"24 h, 12 h cycles", 24 * 3600, 60, 12 * 3600, day, Insufficient},
		{"84 h, 12 h cycles", 84 * 3600, 60, 12 * 3600, day, NoLeak},
	} {
		for seed := range uint64(5) {
			r := rand.New(rand.NewPCG(seed, 7))
			got := Analyze(heapRun(r, c.seconds, c.interval, c.cycle, 200, 0, 0.2), c.o)
			if got.Verdict != c.want {
				t.Errorf("%s, seed %d: %s (%s), want %s", c.name, seed, got.Verdict, got.Reason, c.want)
			}
			if c.want == Insufficient && !strings.Contains(got.Reason, "collections (about one every") {
				t.Errorf("%s, seed %d: reason %q does not count the collections", c.name, seed, got.Reason)
			}
			checkResult(t, c.name, got)
		}
	}
}

// A rise that stopped is not a leak however small the noise it then holds
// still under, and one that goes on is, in a minute as in a day.
func TestAnalyzePersistence(t *testing.T) {
	short := Options{Threshold: 10, Warmup: 0, MinSpan: 3, Envelope: true, Unit: "MB"}
	for _, sd := range []float64{0.05, 0.1, 0.3, 1, 2} {
		for seed := range uint64(10) {
			r := rand.New(rand.NewPCG(seed, 8))
			if got := Analyze(growThenHold(60, 0.5, 30, sd)(r, 0), short); got.Leak {
				t.Errorf("grew 30 MB in 30 s, held under %g MB of noise, seed %d: %s", sd, seed, got.Reason)
			}
			r = rand.New(rand.NewPCG(seed, 9))
			if got := Analyze(sampled(r, 60, 0.5, sd, func(t float64) float64 { return 0.5 * t }), short); !got.Leak {
				t.Errorf("0.5 MB/s for 60 s under %g MB of noise, seed %d: %s", sd, seed, got.Reason)
			}
		}
	}
}

func TestRankSum(t *testing.T) {
	// a = {1, 2, 3}, b = {4, 5, 6}: U = 9 of 9, σ² = 3·3·7/12 = 5.25,
	// z = (9 - 4.5 - 0.5)/√5.25 = 1.746, p = 0.0404.
	if p := RankSum([]float64{1, 2, 3}, []float64{4, 5, 6}); p < 0.0403 || p > 0.0405 {
		t.Errorf("separated: p = %.4f, want 0.0404", p)
	}
	if p := RankSum([]float64{4, 5, 6}, []float64{1, 2, 3}); p < 0.95 {
		t.Errorf("b below a: p = %.4f", p)
	}
	if p := RankSum([]float64{2, 2, 2}, []float64{2, 2}); p != 1 {
		t.Errorf("all tied: p = %g, want 1", p)
	}
	if p := RankSum(nil, []float64{1}); p != 1 {
		t.Errorf("empty side: p = %g, want 1", p)
	}
}

// A rate's rise is Degradation, never Leak, and says so in its reason.
func TestAnalyzeRate(t *testing.T) {
	cpu := Options{Threshold: 2, Warmup: -1, Rate: true, Unit: "%"}
	r := rand.New(rand.NewPCG(1, 1))
	for _, c := range []struct {
		name  string
		shape func(h float64) float64
		want  Verdict
		words string
	}{
		{"ramp", func(h float64) float64 { return 4 * h }, Degradation, "stayed up"},
		{"step that stays", func(h float64) float64 { return stepAt(h, 10, 50) }, Degradation, "stayed up"},
		{"step that comes back", func(h float64) float64 { return stepAt(h, 8, 50) - stepAt(h, 14, 50) }, NoLeak, "not above"},
		{"slow ramp", func(h float64) float64 { return 0.5 * h }, NoLeak, "below the 2.0 %/h threshold"},
		{"late ramp", func(h float64) float64 { return 6 * max(0, h-16) }, Degradation, "flat until"},
	} {
		got := Analyze(cpuSeries(r, 24, c.shape), cpu)
		if got.Verdict != c.want || got.Leak || !strings.Contains(got.Reason, c.words) {
			t.Errorf("%s: %s (%s), want %s saying %q", c.name, got.Verdict, got.Reason, c.want, c.words)
		}
		checkResult(t, c.name, got)
	}
}

// A heap that collected every 8 s while it was being sized and then held
// still (the RSS of a Go process) has a last third with no collections in
// it, but one as long as five of its cycles: it is judged, and it does not
// leak.
func TestAnalyzeCyclesThatStopped(t *testing.T) {
	o := Options{Threshold: 10, Warmup: 0, MinSpan: 3, Envelope: true, Unit: "MB"}
	for seed := range uint64(5) {
		r := rand.New(rand.NewPCG(seed, 11))
		pts := heapRun(r, 60, 0.05, 8, 0.7, 0, 0.01)
		level := pts[len(pts)-1].V
		for i := 1; i <= 1800; i++ {
			pts = append(pts, Point{T: round2(60 + 0.05*float64(i)), V: round2(level + 0.01*r.NormFloat64())})
		}
		got := Analyze(pts, o)
		if got.Verdict != NoLeak {
			t.Errorf("seed %d: %s (%s), want %s", seed, got.Verdict, got.Reason, NoLeak)
		}
		checkResult(t, "cycles that stopped", got)
	}
}
