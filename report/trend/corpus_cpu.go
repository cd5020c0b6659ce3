package trend

import (
	"math"
	"math/rand/v2"
)

// cpuShapes are the CPU of a tree in percent of one core, sampled every
// minute, labelled for a degradation at CorpusCPUThreshold points an hour.
var cpuShapes = []corpusShape{
	{name: "cpu_flat", cpu: true, make: func(r *rand.Rand, _ int64) []Point {
		return cpuSeries(r, corpusHours, func(float64) float64 { return 0 })
	}},
	// The psutil monitor's second scenario: hours 0–5 at 10–15%, 6–10 at
	// 15–25%, 11–15 at 40–70%, each sample anywhere in its band.
	{name: "cpu_scenario2_16h", leak: true, cpu: true, make: func(r *rand.Rand, _ int64) []Point {
		n := int(16 * 3600 / corpusInterval)
		pts := make([]Point, n)
		for i := range pts {
			t := float64(i) * corpusInterval
			lo, hi := 10.0, 15.0
			switch h := t / 3600; {
			case h >= 11:
				lo, hi = 40, 70
			case h >= 6:
				lo, hi = 15, 25
			}
			pts[i] = Point{T: t, V: round2(lo + (hi-lo)*r.Float64())}
		}
		return pts
	}},
	{name: "cpu_ramp_2x", leak: true, cpu: true, make: func(r *rand.Rand, _ int64) []Point {
		return cpuSeries(r, corpusHours, func(h float64) float64 { return 2 * CorpusCPUThreshold * h })
	}},
	// A two-hour nightly soak whose CPU climbs 10 points an hour.
	{name: "cpu_ramp_2h", leak: true, cpu: true, make: func(r *rand.Rand, _ int64) []Point {
		return cpuSeries(r, 2, func(h float64) float64 { return 10 * h })
	}},
	{name: "cpu_late_ramp_3x", leak: true, cpu: true, make: func(r *rand.Rand, _ int64) []Point {
		return cpuSeries(r, corpusHours, func(h float64) float64 { return 3 * CorpusCPUThreshold * max(0, h-16) })
	}},
	// Up 30 points at 40% of an 8 h run and staying there: what the tree
	// costs has gone up for good.
	{name: "cpu_step_up_stays_8h", leak: true, cpu: true, make: func(r *rand.Rand, _ int64) []Point {
		return cpuSeries(r, 8, func(h float64) float64 { return stepAt(h, 0.4*8, 30) })
	}},
	{name: "cpu_step_up_comes_back", cpu: true, make: func(r *rand.Rand, _ int64) []Point {
		return cpuSeries(r, corpusHours, func(h float64) float64 {
			return stepAt(h, 0.3*corpusHours, 30) - stepAt(h, 0.6*corpusHours, 30)
		})
	}},
	{name: "cpu_slow_ramp_0.4x", cpu: true, make: func(r *rand.Rand, _ int64) []Point {
		return cpuSeries(r, corpusHours, func(h float64) float64 { return 0.4 * CorpusCPUThreshold * h })
	}},
	// A level that wanders a few points for hours, as a service's CPU does
	// on a shared host: an AR(1) process with a stationary spread of 3
	// points and a time constant of 3 hours under the sample noise.
	{name: "cpu_wandering_level", cpu: true, make: func(r *rand.Rand, _ int64) []Point {
		const rho = 1 - 1.0/180 // per minute
		level := 3 * r.NormFloat64()
		return cpuSeries(r, corpusHours, func(float64) float64 {
			level = rho*level + 3*math.Sqrt(1-rho*rho)*r.NormFloat64()
			return level
		})
	}},
	// Twenty minutes sampled every 2 s of a load held at 15% on a shared
	// host, as measured of stress-ng: 3.3 points of sample noise, and a
	// level that jumps 5 points between two regimes as the neighbours'
	// load comes and goes, staying a few minutes in each.
	{name: "cpu_shared_host_20min", cpu: true, make: func(r *rand.Rand, _ int64) []Point {
		up := r.IntN(2) == 1
		pts := sampled(r, 1200, 2, 3.3, func(float64) float64 {
			if r.Float64() < 2.0/240 { // a regime lasts 4 minutes on average
				up = !up
			}
			if up {
				return 5
			}
			return 0
		})
		for i := range pts {
			pts[i].V = round2(math.Max(0, pts[i].V-280+15)) // sampled's base is for memory
		}
		return pts
	}},
	// Bursts to a full core for a few minutes, more often as the run goes
	// on, over a steady 15%: the median never moves.
	{name: "cpu_bursty_flat_median", cpu: true, make: func(r *rand.Rand, _ int64) []Point {
		pts := cpuSeries(r, corpusHours, func(float64) float64 { return 0 })
		for i := 0; i < len(pts); i++ {
			if r.Float64() < 0.01+0.02*pts[i].T/(corpusHours*3600) {
				for k := i; k < min(len(pts), i+1+r.IntN(5)); k++ {
					pts[k].V = round2(90 + 10*r.Float64())
				}
				i += 5
			}
		}
		return pts
	}},
}

// cpuSeries samples a steady 10 to 20% plus shape(hours), with Gaussian
// noise of 2 to 5 points, never below zero.
func cpuSeries(r *rand.Rand, hours float64, shape func(h float64) float64) []Point {
	base, sd := 10+10*r.Float64(), 2+3*r.Float64()
	n := int(hours * 3600 / corpusInterval)
	pts := make([]Point, n)
	for i := range pts {
		t := float64(i) * corpusInterval
		pts[i] = Point{T: t, V: round2(math.Max(0, base+shape(t/3600)+sd*r.NormFloat64()))}
	}
	return pts
}
