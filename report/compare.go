package report

import (
	"math"
	"slices"

	"github.com/soakrun/soakrun/report/trend"
)

// Change is how a new run compares with its baseline.
type Change string

// The changes. Only Worse fails a comparison.
const (
	Worse  Change = "worse"
	Same   Change = "same"
	Better Change = "better"
	// Incomparable: a run has too little of the metric to measure it.
	Incomparable Change = "insufficient_data"
)

// DefaultCompareAlpha is the two-sided level of each difference's test.
const DefaultCompareAlpha = 0.01

// Comparison is a new run set against its baseline, metric by metric:
// did it get worse?
type Comparison struct {
	// Verdict is "worse" when any metric is worse, else "better" when any
	// is better, else "same"; "insufficient_data" when no metric could be
	// measured in both runs.
	Verdict Change   `json:"verdict"`
	Worse   []Metric `json:"worse"`
	Better  []Metric `json:"better"`
	// Metrics holds every metric judged in both runs (memory alone, the
	// host's, when either run is the psutil monitor's).
	Metrics map[Metric]MetricChange `json:"metrics"`
	Base    RunShape                `json:"base"`
	New     RunShape                `json:"new"`
	Alpha   float64                 `json:"alpha"`
}

// RunShape says what one run of a comparison holds.
type RunShape struct {
	Samples         int     `json:"snapshot_count"`
	DurationHours   float64 `json:"duration_hours"`
	IntervalSeconds float64 `json:"interval_seconds"` // the mean time between samples
	TreeFigures     bool    `json:"tree_figures"`     // false for the psutil monitor's files
}

// MetricChange is one metric in both runs and what changed.
type MetricChange struct {
	Unit    string     `json:"unit"`
	Verdict Change     `json:"verdict"`
	Reason  string     `json:"reason"`
	Base    RunFigures `json:"base"`
	New     RunFigures `json:"new"`
	// Level and Slope are the tested differences, new minus base; absent
	// when a run could not be measured. Their verdicts make the metric's.
	Level *Difference `json:"level,omitempty"`
	Slope *Difference `json:"slope,omitempty"`
}

// RunFigures are one run's figures for one metric after its warm-up, from
// the window summaries its verdict tests (floors for memory, medians for
// the rest).
type RunFigures struct {
	// Level is where the summaries' Theil–Sen line stands at the end of
	// the warm-up: the floor the run starts from, whatever it does after.
	Level   float64 `json:"level"`
	LevelSE float64 `json:"level_se"`
	// SlopePerHour is that line's slope.
	SlopePerHour float64 `json:"slope_per_hour"`
	SlopeSE      float64 `json:"slope_se"`
	// Median is the median of the summaries: for CPU, the run's CPU median.
	Median float64 `json:"median"`
	// Peak is the highest sample after the warm-up.
	Peak float64 `json:"peak"`
	// Noise is the robust spread of the summaries about their line
	// (1.4826 × the median absolute residual); Lag1 their lag-one
	// autocorrelation, which widens both standard errors.
	Noise   float64 `json:"noise"`
	Lag1    float64 `json:"lag1"`
	Windows int     `json:"windows"`
	// Reason says why the run could not be measured; "" when it was.
	Reason string `json:"reason,omitempty"`
}

// Difference is the change of one figure, new minus base, and its test.
type Difference struct {
	Change float64 `json:"change"`
	// Relative is Change over the base's magnitude; null when that is 0.
	Relative *float64 `json:"relative"`
	// Z is Change over the two runs' standard errors combined; P its
	// two-sided p-value.
	Z float64 `json:"z"`
	P float64 `json:"p"`
	// Material is the smallest change that counts, whatever its p-value.
	Material float64 `json:"material"`
	Verdict  Change  `json:"verdict"`
}

// CompareOptions are the comparison's settings: the analysis's thresholds,
// warm-up and span, and the level of its tests.
type CompareOptions struct {
	Options
	// Alpha is the two-sided level of each test (default 0.01).
	Alpha float64
}

// levelHours is how many hours' worth of a metric's threshold its level
// must move to count: an hour's for amounts, five for a rate (CPU), whose
// level moves a few points with the host's other load (see
// DefaultCPUThreshold).
func levelHours(m Metric) float64 {
	if rateMetrics[m] {
		return 5
	}
	return 1
}

// Compare sets the new run against the base, each metric judged in both.
//
// Each run is measured on its own window summaries, so runs of different
// lengths and intervals compare: the level where the run starts after its
// warm-up, and the slope per hour. The two differences are each tested
// with a Welch-type z-test, the change over the square root of the sum of
// the two runs' squared standard errors. Each run's errors come from its
// own noise, the robust spread of its summaries about their Theil–Sen
// line, widened by (1+ρ)/(1-ρ) for their lag-one autocorrelation ρ, so a
// noisy or wandering run proves less than a quiet one and neither run's
// noise is assumed to be the other's. A difference counts when it is
// significant at Alpha and at least material: the metric's threshold per
// hour for the slope, an hour's worth of it for the level (five for CPU).
func Compare(base, next *Series, o CompareOptions) *Comparison {
	if !(o.Alpha > 0 && o.Alpha < 1) {
		o.Alpha = DefaultCompareAlpha
	}
	c := &Comparison{
		Base: base.shape(), New: next.shape(), Alpha: o.Alpha,
		Metrics: map[Metric]MetricChange{}, Worse: []Metric{}, Better: []Metric{},
	}
	for _, m := range compared(base, next) {
		if base.cols[m].n == 0 || next.cols[m].n == 0 {
			continue
		}
		to, th, judged := trendOptions(m, o.Options)
		if !judged {
			continue
		}
		mc := MetricChange{Unit: units[m], Base: measure(base.cols[m], to), New: measure(next.cols[m], to)}
		mc.judge(th*levelHours(m), th, o.Alpha)
		c.Metrics[m] = mc
		switch mc.Verdict {
		case Worse:
			c.Worse = append(c.Worse, m)
		case Better:
			c.Better = append(c.Better, m)
		}
	}
	switch {
	case len(c.Worse) > 0:
		c.Verdict = Worse
	case len(c.Better) > 0:
		c.Verdict = Better
	default:
		c.Verdict = Incomparable
		for _, mc := range c.Metrics {
			if mc.Verdict == Same {
				c.Verdict = Same
			}
		}
	}
	return c
}

// compared are the metrics judged in both runs, in report order: the
// host's memory and the disk when either run is the psutil monitor's, which
// has no tree figures.
func compared(base, next *Series) []Metric {
	if !base.hasTree || !next.hasTree {
		return []Metric{HostMemory, DiskUsed}
	}
	_, inBase := base.judged()
	_, inNew := next.judged()
	var out []Metric
	for _, m := range inNew {
		if slices.Contains(inBase, m) {
			out = append(out, m)
		}
	}
	return out
}

// judge tests the level and slope differences and sets the verdict:
// worse when either got worse, better when either got better and neither
// worse, else the same.
func (mc *MetricChange) judge(levelMaterial, slopeMaterial, alpha float64) {
	switch {
	case mc.Base.Reason != "":
		mc.Verdict, mc.Reason = Incomparable, "baseline: "+mc.Base.Reason
		return
	case mc.New.Reason != "":
		mc.Verdict, mc.Reason = Incomparable, "new run: "+mc.New.Reason
		return
	}
	level := difference(mc.Base.Level, mc.New.Level, mc.Base.LevelSE, mc.New.LevelSE, levelMaterial, alpha)
	slope := difference(mc.Base.SlopePerHour, mc.New.SlopePerHour, mc.Base.SlopeSE, mc.New.SlopeSE, slopeMaterial, alpha)
	mc.Level, mc.Slope = &level, &slope
	switch {
	case level.Verdict == Worse || slope.Verdict == Worse:
		mc.Verdict = Worse
	case level.Verdict == Better || slope.Verdict == Better:
		mc.Verdict = Better
	default:
		mc.Verdict = Same
	}
	mc.Reason = mc.reason()
}

// difference tests new - base against the two standard errors.
func difference(base, next, seBase, seNew, material, alpha float64) Difference {
	d := Difference{Change: next - base, Material: material, Verdict: Same}
	if base != 0 {
		r := d.Change / math.Abs(base)
		d.Relative = &r
	}
	// A run without noise has no error; the floor keeps Z finite.
	se := max(math.Hypot(seBase, seNew), 1e-9*(math.Abs(base)+math.Abs(next)+1))
	d.Z = d.Change / se
	d.P = math.Erfc(math.Abs(d.Z) / math.Sqrt2)
	if d.P < alpha && math.Abs(d.Change) >= material {
		d.Verdict = Worse
		if d.Change < 0 {
			d.Verdict = Better
		}
	}
	return d
}

// measure takes one run's figures for a metric judged with to.
func measure(c *column, to trend.Options) RunFigures {
	pts := c.points()
	sum := trend.Summarize(pts, to)
	if sum.Reason != "" {
		return RunFigures{Reason: sum.Reason}
	}
	f := RunFigures{Windows: len(sum.Y), Peak: math.Inf(-1)}
	for _, p := range pts {
		if p.T >= sum.From {
			f.Peak = max(f.Peak, p.V)
		}
	}
	slope, icpt := trend.TheilSen(sum.X, sum.Y)
	n := float64(len(sum.Y))
	res := make([]float64, len(sum.Y))
	var xbar float64
	for i, y := range sum.Y {
		res[i] = y - icpt - slope*sum.X[i]
		xbar += sum.X[i] / n
	}
	var sxx float64
	for _, x := range sum.X {
		sxx += (x - xbar) * (x - xbar)
	}
	f.Noise = 1.4826 * median(absDeviations(res))
	f.Lag1 = min(max(lag1(res), 0), 0.9)
	widen := (1 + f.Lag1) / (1 - f.Lag1)
	f.Level, f.SlopePerHour, f.Median = icpt, slope, median(slices.Clone(sum.Y))
	if sxx > 0 {
		f.LevelSE = f.Noise * math.Sqrt(widen*(1/n+xbar*xbar/sxx))
		f.SlopeSE = f.Noise * math.Sqrt(widen/sxx)
	}
	return f
}

// absDeviations are |v - median(v)|.
func absDeviations(v []float64) []float64 {
	m := median(slices.Clone(v))
	out := make([]float64, len(v))
	for i, f := range v {
		out[i] = math.Abs(f - m)
	}
	return out
}

// lag1 is the lag-one autocorrelation of v about its mean.
func lag1(v []float64) float64 {
	if len(v) < 3 {
		return 0
	}
	var m float64
	for _, f := range v {
		m += f / float64(len(v))
	}
	var num, den float64
	for i, f := range v {
		den += (f - m) * (f - m)
		if i > 0 {
			num += (f - m) * (v[i-1] - m)
		}
	}
	if den == 0 {
		return 0
	}
	return num / den
}

// shape describes the series for a comparison.
func (s *Series) shape() RunShape {
	r := RunShape{Samples: s.count, DurationHours: (s.last - s.first) / 3600, TreeFigures: s.hasTree}
	if s.count > 1 {
		r.IntervalSeconds = (s.last - s.first) / float64(s.count-1)
	}
	return r
}
