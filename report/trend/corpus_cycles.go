package trend

import (
	"math"
	"math/rand/v2"
)

// cycleShapes are runs that hold only a few collection cycles, at time
// scales from seconds to a day, and rises that stopped under little noise:
// a run that ends on a climb between collections, or holds still after
// growing, is not a leak.
var cycleShapes = []corpusShape{
	// The reproduction: 40 MB/s to 200 MB, collected, growing
	// again, stopped after 10 s mid-climb.
	{name: "sawtooth_2_cycles_10s", short: true, make: func(r *rand.Rand, _ int64) []Point {
		return heapRun(r, 10, 0.2, 5, 200, 0, 0.2)
	}},
	{name: "sawtooth_3_cycles_15s", short: true, make: func(r *rand.Rand, _ int64) []Point {
		return heapRun(r, 14, 0.2, 5, 200, 0, 0.2)
	}},
	{name: "sawtooth_2_cycles_10min", short: true, make: func(r *rand.Rand, _ int64) []Point {
		return heapRun(r, 600, 5, 300, 200, 0, 0.5)
	}},
	{name: "sawtooth_2_cycles_24h", make: func(r *rand.Rand, _ int64) []Point {
		return heapRun(r, 24*3600, 60, 12*3600, 200, 0, 2)
	}},
	{name: "sawtooth_3_cycles_36h", make: func(r *rand.Rand, _ int64) []Point {
		return heapRun(r, 34*3600, 60, 12*3600, 200, 0, 2)
	}},
	// Many cycles in a minute: the floor is seen, and a rising one leaks.
	{name: "sawtooth_flat_floor_60s", short: true, make: func(r *rand.Rand, _ int64) []Point {
		return heapRun(r, 60, 0.2, 2, 50, 0, 0.3)
	}},
	{name: "sawtooth_rising_floor_60s", leak: true, short: true, make: func(r *rand.Rand, _ int64) []Point {
		return heapRun(r, 60, 0.2, 2, 50, 3600, 0.3)
	}},
	// Grew 30 MB in 30 s and held still: in a minute the last third's own
	// slope is noise of many MB/h, half the threshold or more.
	{name: "grow_then_hold_60s_noise0.1", short: true, make: growThenHold(60, 0.5, 30, 0.1)},
	{name: "grow_then_hold_60s_noise0.5", short: true, make: growThenHold(60, 0.5, 30, 0.5)},
	{name: "grow_then_hold_60s_noise2", short: true, make: growThenHold(60, 0.5, 30, 2)},
	{name: "grow_then_hold_20min_noise0.2", make: growThenHold(1200, 2, 40, 0.2)},
	{name: "grow_then_hold_20min_noise1", make: growThenHold(1200, 2, 40, 1)},
	{name: "linear_60s_noise0.5", leak: true, short: true, make: func(r *rand.Rand, _ int64) []Point {
		return sampled(r, 60, 0.5, 0.5, func(t float64) float64 { return 0.5 * t })
	}},
}

// heapRun is seconds of samples every interval: a heap growing amp over
// each cycle from just after a collection, over a floor rising perHour,
// with Gaussian noise of sd.
func heapRun(r *rand.Rand, seconds, interval, cycle, amp, perHour, sd float64) []Point {
	phase := 0.05 * r.Float64()
	return sampled(r, seconds, interval, sd, func(t float64) float64 {
		_, frac := math.Modf(t/cycle + phase)
		return perHour*t/3600 + amp*frac
	})
}

// growThenHold rises by rise MB over the first half of seconds and then
// holds, with Gaussian noise of sd.
func growThenHold(seconds, interval, rise, sd float64) func(*rand.Rand, int64) []Point {
	return func(r *rand.Rand, _ int64) []Point {
		return sampled(r, seconds, interval, sd, func(t float64) float64 { return rise * min(1, 2*t/seconds) })
	}
}

// sampled is seconds of samples every interval of a base near 300 plus
// shape(t in seconds) plus Gaussian noise of sd.
func sampled(r *rand.Rand, seconds, interval, sd float64, shape func(t float64) float64) []Point {
	base := 280 + 40*r.Float64()
	n := int(seconds / interval)
	pts := make([]Point, n)
	for i := range pts {
		t := float64(i) * interval
		pts[i] = Point{T: round2(t), V: round2(base + shape(t) + sd*r.NormFloat64())}
	}
	return pts
}
