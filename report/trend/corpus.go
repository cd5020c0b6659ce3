package trend

//go:generate go run ./internal/gencorpus -out ../../testdata/trend

import (
	"bufio"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
)

// CorpusThreshold is the leak threshold the memory cases are labelled for,
// in MB per hour.
const CorpusThreshold = 10.0

// CorpusCPUThreshold is the degradation threshold the CPU cases are
// labelled for, in percentage points of one core per hour.
const CorpusCPUThreshold = 2.0

// Case is one labelled synthetic series, T in seconds from 0: memory in
// MB, or with CPU the CPU of a tree in percent of one core.
type Case struct {
	Name string
	Seed int64
	// Leak is whether it rises at its threshold: a leak of memory, or a
	// degradation of CPU.
	Leak bool
	CPU  bool
	// Warmup and MinSpan are the Options it is judged with, in seconds:
	// Warmup < 0 is the default warm-up, MinSpan 0 the default span.
	Warmup, MinSpan float64
	Points          []Point
}

// Options are the settings c is labelled for.
func (c Case) Options() Options {
	o := Options{Threshold: CorpusThreshold, Warmup: c.Warmup, MinSpan: c.MinSpan, Envelope: true, Unit: "MB"}
	if c.CPU {
		o = Options{Threshold: CorpusCPUThreshold, Warmup: c.Warmup, MinSpan: c.MinSpan, Rate: true, Unit: "%"}
	}
	return o
}

// Threshold is the rate per hour c is labelled for.
func (c Case) Threshold() float64 { return c.Options().Threshold }

// corpusShape makes one kind of series, sampled every 60 s unless it says
// otherwise. Most are 24 h; those whose names end in a duration last that
// long.
type corpusShape struct {
	name string
	leak bool
	make func(r *rand.Rand, seed int64) []Point
	cpu  bool
	// short shapes are judged as the few-second runs were, with
	// --warmup 0s --min-span 3s.
	short bool
}

const (
	corpusHours    = 24
	corpusInterval = 60.0 // seconds
)

var corpusShapes = []corpusShape{
	{name: "flat", leak: false, make: func(r *rand.Rand, _ int64) []Point {
		return series(r, func(float64) float64 { return 0 })
	}},
	{name: "linear_2x", leak: true, make: linear(2)},
	{name: "linear_1.2x", leak: true, make: linear(1.2)},
	{name: "linear_0.3x", leak: false, make: linear(0.3)},
	{name: "sawtooth_flat_floor", leak: false, make: sawtooth(0)},
	{name: "sawtooth_rising_floor_2x", leak: true, make: sawtooth(2 * CorpusThreshold)},
	{name: "warmup_ramp_then_plateau", leak: false, make: func(r *rand.Rand, _ int64) []Point {
		return series(r, func(h float64) float64 { return 200 * min(h/2, 1) })
	}},
	{name: "one_step_then_plateau", leak: false, make: func(r *rand.Rand, _ int64) []Point {
		return series(r, func(h float64) float64 { return stepAt(h, 0.25*corpusHours, 80) })
	}},
	{name: "late_step_then_plateau", leak: false, make: func(r *rand.Rand, _ int64) []Point {
		return series(r, func(h float64) float64 { return stepAt(h, 0.8*corpusHours, 80) })
	}},
	{name: "rose_2x_then_plateau_at_40pct", leak: false, make: func(r *rand.Rand, _ int64) []Point {
		// A cache filling for 9.6 h, then full.
		stop := 0.4 * corpusHours
		return series(r, func(h float64) float64 { return 2 * CorpusThreshold * min(h, stop) })
	}},
	{name: "staircase_never_freed", leak: true, make: func(r *rand.Rand, _ int64) []Point {
		// +50 MB every 2 h: a cache that never evicts.
		return series(r, func(h float64) float64 { return 50 * math.Floor(h/2) })
	}},
	{name: "spikes_on_flat", leak: false, make: func(r *rand.Rand, _ int64) []Point {
		pts := series(r, func(float64) float64 { return 0 })
		for i := range pts {
			switch u := r.Float64(); {
			case u < 0.015:
				pts[i].V = round2(pts[i].V + 50 + 250*r.Float64())
			case u < 0.02:
				pts[i].V = round2(pts[i].V - 20 - 40*r.Float64())
			}
		}
		return pts
	}},
	{name: "late_start_leak_3x", leak: true, make: func(r *rand.Rand, _ int64) []Point {
		start := 0.6 * corpusHours
		return series(r, func(h float64) float64 { return 3 * CorpusThreshold * max(0, h-start) })
	}},
	{name: "decreasing", leak: false, make: func(r *rand.Rand, _ int64) []Point {
		return series(r, func(h float64) float64 { return 200 - CorpusThreshold*h })
	}},
	// The shapes below are where the old rule, the least-squares slope of
	// the whole run above the threshold, goes wrong in practice: short runs
	// where a warm-up, a step or where in its cycle a big sawtooth ends
	// tilts the whole line, and a small leak that starts late, diluted by
	// the flat hours before it.
	{name: "warmup_plateau_6h", leak: false, make: func(r *rand.Rand, _ int64) []Point {
		// A cache warming up: +150 MB, fast at first and slowing down
		// (exponential, time constant 45 minutes), full after 90 minutes.
		return seriesFor(r, 6, func(h float64) float64 {
			return 150 * (1 - math.Exp(-min(h, 1.5)/0.75)) / (1 - math.Exp(-1.5/0.75))
		})
	}},
	{name: "step_6h", leak: false, make: func(r *rand.Rand, _ int64) []Point {
		return seriesFor(r, 6, func(h float64) float64 { return stepAt(h, 0.3*6, 60) })
	}},
	{name: "sawtooth_big_4h", leak: false, make: func(r *rand.Rand, _ int64) []Point {
		// A GC heap climbing 300 MB between collections 40, 48 or 60
		// minutes apart over a constant floor. The run starts just after a
		// collection and ends shortly before one, near a peak, which tilts
		// the least-squares line by about amplitude × period / span²: 12 to
		// 19 MB/h here. A 6 h run cannot show it with these periods (at
		// most 8 MB/h), so the run is 4 h.
		cycles := 4 + r.IntN(3)
		period := 4 / (float64(cycles) * (1 - 0.02*r.Float64())) // hours
		return seriesFor(r, 4, func(h float64) float64 {
			_, frac := math.Modf(h / period)
			return 300 * frac
		})
	}},
	{name: "late_leak_24h_small", leak: true, make: func(r *rand.Rand, _ int64) []Point {
		// Flat for 18 h, then 25 MB/h: 150 MB in the last 6 h, but only
		// about 4 MB/h over the whole run.
		start := 0.75 * corpusHours
		return series(r, func(h float64) float64 { return 2.5 * CorpusThreshold * max(0, h-start) })
	}},
	{name: "slow_leak_72h_sawtooth", leak: true, make: func(r *rand.Rand, _ int64) []Point {
		// 72 h: an 80 MB sawtooth every 15 minutes over a floor rising
		// 12 MB/h.
		phase := r.Float64()
		return seriesFor(r, 72, func(h float64) float64 {
			_, frac := math.Modf(h/0.25 + phase)
			return 1.2*CorpusThreshold*h + 80*frac
		})
	}},
	{name: "too_short", leak: false, make: func(r *rand.Rand, seed int64) []Point {
		// Steeply rising but far too short to tell: 5 points a minute
		// apart, or 3 minutes at 1 s.
		n, dt := 5, 60.0
		if seed%2 == 0 {
			n, dt = 180, 1
		}
		base, sd := level(r)
		pts := make([]Point, n)
		for i := range pts {
			t := float64(i) * dt
			pts[i] = Point{T: t, V: round2(base + 3*CorpusThreshold*t/3600 + sd*r.NormFloat64())}
		}
		return pts
	}},
}

// Corpus returns every shape for every seed, shapes in a fixed order. The
// same seeds always give the same series.
func Corpus(seeds []int64) []Case {
	var cases []Case
	for _, s := range slices.Concat(corpusShapes, cycleShapes, cpuShapes) {
		h := fnv.New64a()
		h.Write([]byte(s.name))
		for _, seed := range seeds {
			r := rand.New(rand.NewPCG(uint64(seed), h.Sum64()))
			c := Case{Name: s.name, Seed: seed, Leak: s.leak, CPU: s.cpu, Warmup: -1, Points: s.make(r, seed)}
			if s.short {
				c.Warmup, c.MinSpan = 0, 3
			}
			cases = append(cases, c)
		}
	}
	return cases
}

// FileName is the name of c's file in testdata/trend.
func (c Case) FileName() string { return fmt.Sprintf("%s_seed%d.csv", c.Name, c.Seed) }

// WriteCSV writes c's points as "t_seconds,value" lines under a header.
func (c Case) WriteCSV(w io.Writer) error {
	b := bufio.NewWriter(w)
	b.WriteString("t_seconds,value\n")
	for _, p := range c.Points {
		b.WriteString(strconv.FormatFloat(p.T, 'f', -1, 64))
		b.WriteByte(',')
		b.WriteString(strconv.FormatFloat(p.V, 'f', 2, 64))
		b.WriteByte('\n')
	}
	if err := b.Flush(); err != nil {
		return fmt.Errorf("write case %s: %w", c.FileName(), err)
	}
	return nil
}

// level draws a baseline near 300 MB and a noise standard deviation of
// 2 to 5 MB.
func level(r *rand.Rand) (base, sd float64) {
	return 280 + 40*r.Float64(), 2 + 3*r.Float64()
}

// series samples base + shape(hours) + noise for corpusHours.
func series(r *rand.Rand, shape func(h float64) float64) []Point {
	return seriesFor(r, corpusHours, shape)
}

// seriesFor samples base + shape(hours) + noise for the given hours.
func seriesFor(r *rand.Rand, hours float64, shape func(h float64) float64) []Point {
	base, sd := level(r)
	n := int(hours * 3600 / corpusInterval)
	pts := make([]Point, n)
	for i := range pts {
		t := float64(i) * corpusInterval
		pts[i] = Point{T: t, V: round2(base + shape(t/3600) + sd*r.NormFloat64())}
	}
	return pts
}

func linear(times float64) func(*rand.Rand, int64) []Point {
	return func(r *rand.Rand, _ int64) []Point {
		return series(r, func(h float64) float64 { return times * CorpusThreshold * h })
	}
}

// sawtooth is a GC heap: it climbs 100 MB over one period of 5 to 20
// minutes, is collected back to the floor, and the floor rises perHour.
func sawtooth(perHour float64) func(*rand.Rand, int64) []Point {
	return func(r *rand.Rand, _ int64) []Point {
		period := (5 + 15*r.Float64()) / 60 // hours
		phase := r.Float64()
		return series(r, func(h float64) float64 {
			_, frac := math.Modf(h/period + phase)
			return perHour*h + 100*frac
		})
	}
}

func stepAt(h, at, size float64) float64 {
	if h >= at {
		return size
	}
	return 0
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }
