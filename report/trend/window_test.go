package trend

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestCollectionCycle(t *testing.T) {
	saw := func(minutes, amp float64) func(h float64) float64 {
		return func(h float64) float64 { return amp * frac(h*60/minutes+0.3) }
	}
	spikes := hourly(24, 60, 3, func(float64) float64 { return 0 })
	r := rand.New(rand.NewPCG(3, 3))
	for i := range spikes {
		switch u := r.Float64(); {
		case u < 0.02:
			spikes[i].V += 50 + 250*r.Float64()
		case u < 0.03:
			spikes[i].V -= 20 + 40*r.Float64()
		}
	}
	rounded := hourly(24, 60, 4, func(h float64) float64 { return 12 * h })
	for i := range rounded {
		rounded[i].V = math.Round(rounded[i].V)
	}
	constant := make([]Point, 100)
	for i := range constant {
		constant[i] = Point{T: float64(i * 60), V: 42}
	}
	for _, c := range []struct {
		name string
		pts  []Point
		want float64 // minutes; 0 for none
	}{
		{"300 MB every 50 min", hourly(4, 60, 1, saw(50, 300)), 50},
		{"100 MB every 13 min", hourly(24, 60, 2, saw(13, 100)), 13},
		// Eight samples a cycle: two after a collection the heap has
		// climbed back more than half of what it fell.
		{"100 MB every 8 min", hourly(24, 60, 7, saw(8, 100)), 8},
		{"100 MB every 9.3 min", hourly(24, 60, 8, saw(9.3, 100)), 9.3},
		{"80 MB every 15 min, rising", hourly(24, 60, 2, func(h float64) float64 { return 12*h + saw(15, 80)(h) }), 15},
		{"two collections", hourly(3, 60, 5, saw(70, 300)), 70},
		{"collected over two samples", hourly(6, 60, 6, func(h float64) float64 {
			// Halfway down one minute, at the floor the next.
			f := frac(h * 60 / 45)
			if f < 1.0/45 {
				return 150
			}
			return 300 * (f - 1.0/45) * 45 / 44
		}), 45},
		// At 63 min into 2 h: the cycle is at least the 63 min before it.
		{"one collection", hourly(2, 60, 5, saw(90, 300)), 63},
		{"flat", hourly(24, 60, 1, func(float64) float64 { return 0 }), 0},
		{"rising", hourly(24, 60, 1, func(h float64) float64 { return 20 * h }), 0},
		{"step down", hourly(24, 60, 1, func(h float64) float64 { return -80 * step01(h, 12) }), 0},
		{"whole units", rounded, 0},
		{"spikes", spikes, 0},
		{"constant", constant, 0},
		{"too few points", hourly(5.0/60, 60, 1, saw(2, 300)), 0},
	} {
		got := collectionCycle(c.pts) / 60
		if math.Abs(got-c.want) > 1.01 {
			t.Errorf("%s: cycle %.1f min, want %g", c.name, got, c.want)
		}
	}
}

// Each widened window's minimum is a floor, and no point is summarised
// twice.
func TestSummarizeWidened(t *testing.T) {
	var pts []Point
	for i := range 240 {
		h := float64(i) / 60
		pts = append(pts, Point{T: float64(i * 60), V: 300 + 20*h + 300*frac(h/0.9+0.5)})
	}
	c := collectionCycle(pts)
	if math.Abs(c-54*60) > 61 {
		t.Fatalf("cycle %.0f s, want 3240", c)
	}
	xs, ys := summarize(pts, minWindows, true, c)
	if len(xs) < 4 {
		t.Fatalf("%d summaries: %v", len(xs), ys)
	}
	for i := range xs {
		_, in := math.Modf(xs[i]/0.9 + 0.5)
		if in > 0.05 && in < 0.999 {
			t.Errorf("summary %d at %.2f h (%.2f into its cycle) is not a floor: %.1f", i, xs[i], in, ys[i])
		}
		if i > 0 && xs[i] <= xs[i-1] {
			t.Errorf("summaries %d and %d at %.3f and %.3f h", i-1, i, xs[i-1], xs[i])
		}
	}
}

// sawtoothRun is a run of the given hours sampled every minute: a heap
// climbing amp between collections a period apart (drawn from 40 to 90
// minutes, at a random phase) over a floor rising perHour, with noise.
func sawtoothRun(seed uint64, hours, amp, perHour float64) []Point {
	r := rand.New(rand.NewPCG(seed, 11))
	period := (40 + 50*r.Float64()) / 60
	phase := r.Float64()
	return hourly(hours, 60, seed, func(h float64) float64 { return perHour*h + amp*frac(h/period+phase) })
}

// Collections as far apart as the windows of a short run are long used to
// make the window minima trace the sawtooth itself, and a run ending on a
// climb looked like a leak.
func TestAnalyzeLongCyclesShortRun(t *testing.T) {
	for _, hours := range []float64{4, 6, 8} {
		var slopes []float64
		for seed := range uint64(50) {
			r := Analyze(sawtoothRun(seed, hours, 300, 0), mb)
			if r.Leak {
				t.Errorf("%g h, seed %d: %s", hours, seed, r.Reason)
			}
			slopes = append(slopes, math.Abs(r.SlopePerHour))
		}
		if m := median(slopes); m > 2 {
			t.Errorf("%g h: median |slope| of a flat floor %.1f MB/h", hours, m)
		}
	}
	for seed := range uint64(30) {
		if r := Analyze(sawtoothRun(seed, 12, 300, 20), mb); !r.Leak || math.Abs(r.SlopePerHour-20) > 3 {
			t.Errorf("12 h, floor rising 20 MB/h, seed %d: %s", seed, r.Reason)
		}
	}
}
