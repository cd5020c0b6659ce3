package trend

//go:generate go run ./internal/gencorpus -out ../../testdata/trend

import (
	"bufio"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
)

// CorpusThreshold is the leak threshold the corpus is labelled for, in MB
// per hour.
const CorpusThreshold = 10.0

// Case is one labelled synthetic series: memory in MB, T in seconds from 0.
type Case struct {
	Name   string
	Seed   int64
	Leak   bool // whether it leaks at CorpusThreshold
	Points []Point
}

// corpusShape makes one kind of series, sampled every 60 s. Most are 24 h;
// those whose names end in a number of hours last that long.
type corpusShape struct {
	name string
	leak bool
	make func(r *rand.Rand, seed int64) []Point
}

const (
	corpusHours    = 24
	corpusInterval = 60.0 // seconds
)

var corpusShapes = []corpusShape{
	{"flat", false, func(r *rand.Rand, _ int64) []Point {
		return series(r, func(float64) float64 { return 0 })
	}},
	{"linear_2x", true, linear(2)},
	{"linear_1.2x", true, linear(1.2)},
	{"linear_0.3x", false, linear(0.3)},
	{"sawtooth_flat_floor", false, sawtooth(0)},
	{"sawtooth_rising_floor_2x", true, sawtooth(2 * CorpusThreshold)},
	{"warmup_ramp_then_plateau", false, func(r *rand.Rand, _ int64) []Point {
		return series(r, func(h float64) float64 { return 200 * min(h/2, 1) })
	}},
	{"one_step_then_plateau", false, func(r *rand.Rand, _ int64) []Point {
		return series(r, func(h float64) float64 { return stepAt(h, 0.25*corpusHours, 80) })
	}},
	{"late_step_then_plateau", false, func(r *rand.Rand, _ int64) []Point {
		return series(r, func(h float64) float64 { return stepAt(h, 0.8*corpusHours, 80) })
	}},
	{"rose_2x_then_plateau_at_40pct", false, func(r *rand.Rand, _ int64) []Point {
		// A cache filling for 9.6 h, then full.
		stop := 0.4 * corpusHours
		return series(r, func(h float64) float64 { return 2 * CorpusThreshold * min(h, stop) })
	}},
	{"staircase_never_freed", true, func(r *rand.Rand, _ int64) []Point {
		// +50 MB every 2 h: a cache that never evicts.
		return series(r, func(h float64) float64 { return 50 * math.Floor(h/2) })
	}},
	{"spikes_on_flat", false, func(r *rand.Rand, _ int64) []Point {
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
	{"late_start_leak_3x", true, func(r *rand.Rand, _ int64) []Point {
		start := 0.6 * corpusHours
		return series(r, func(h float64) float64 { return 3 * CorpusThreshold * max(0, h-start) })
	}},
	{"decreasing", false, func(r *rand.Rand, _ int64) []Point {
		return series(r, func(h float64) float64 { return 200 - CorpusThreshold*h })
	}},
	// The shapes below are where the old rule, the least-squares slope of
	// the whole run above the threshold, goes wrong in practice: short runs
	// where a warm-up, a step or where in its cycle a big sawtooth ends
	// tilts the whole line, and a small leak that starts late, diluted by
	// the flat hours before it.
	{"warmup_plateau_6h", false, func(r *rand.Rand, _ int64) []Point {
		// A cache warming up: +150 MB, fast at first and slowing down
		// (exponential, time constant 45 minutes), full after 90 minutes.
		return seriesFor(r, 6, func(h float64) float64 {
			return 150 * (1 - math.Exp(-min(h, 1.5)/0.75)) / (1 - math.Exp(-1.5/0.75))
		})
	}},
	{"step_6h", false, func(r *rand.Rand, _ int64) []Point {
		return seriesFor(r, 6, func(h float64) float64 { return stepAt(h, 0.3*6, 60) })
	}},
	{"sawtooth_big_4h", false, func(r *rand.Rand, _ int64) []Point {
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
	{"late_leak_24h_small", true, func(r *rand.Rand, _ int64) []Point {
		// Flat for 18 h, then 25 MB/h: 150 MB in the last 6 h, but only
		// about 4 MB/h over the whole run.
		start := 0.75 * corpusHours
		return series(r, func(h float64) float64 { return 2.5 * CorpusThreshold * max(0, h-start) })
	}},
	{"slow_leak_72h_sawtooth", true, func(r *rand.Rand, _ int64) []Point {
		// 72 h: an 80 MB sawtooth every 15 minutes over a floor rising
		// 12 MB/h.
		phase := r.Float64()
		return seriesFor(r, 72, func(h float64) float64 {
			_, frac := math.Modf(h/0.25 + phase)
			return 1.2*CorpusThreshold*h + 80*frac
		})
	}},
	{"too_short", false, func(r *rand.Rand, seed int64) []Point {
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
	for _, s := range corpusShapes {
		h := fnv.New64a()
		h.Write([]byte(s.name))
		for _, seed := range seeds {
			r := rand.New(rand.NewPCG(uint64(seed), h.Sum64()))
			cases = append(cases, Case{Name: s.name, Seed: seed, Leak: s.leak, Points: s.make(r, seed)})
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
