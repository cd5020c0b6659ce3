package trend

import "math"

// Point is one sample: T in seconds (any origin), V the value.
type Point struct{ T, V float64 }

// Defaults used where an Options field is zero, negative or NaN.
const (
	DefaultWindows   = 60
	DefaultAlpha     = 0.01
	DefaultMinPoints = 10
	// DefaultMinSpan is ten minutes. Below that a leak at the threshold
	// moves the value by a sixth of an hour's worth, usually less than the
	// noise, and the windows become shorter than a typical GC cycle.
	DefaultMinSpan = 600.0
	// DefaultWarmupFraction and DefaultWarmupCap make the default warm-up:
	// 10% of the span, at most one hour. Start-up (loading, JIT, pools,
	// caches) takes minutes, not hours; a longer ramp is left in and is
	// told apart from a leak by the last-third check instead.
	DefaultWarmupFraction = 0.10
	DefaultWarmupCap      = 3600.0
)

// minWindows keeps a last third of at least two summaries.
const minWindows = 6

// tailCollections is how many collections the last third must hold for
// its floors to say whether a rise persists: two bound one whole cycle,
// whose floor is measured at both ends. With fewer, the last third's
// minima are where in the cycle the run stopped, unless the last third is
// itself as long as that many measured cycles: then the heap has stopped
// collecting (a Go process's RSS, flat once its heap is sized) and its
// floors are its level. Drops are counted first, because a drop the
// detector misses makes the measured cycle longer but never adds one that
// was not there.
const tailCollections = 2

// Options says what counts as a leak. The zero value is usable except for
// Threshold, which has no natural default: zero means any significant rise
// is a leak.
type Options struct {
	// Threshold is the effect size in value units per hour; a slope at or
	// above it is a leak (e.g. 10 for MB/h). Negative or NaN counts as 0.
	Threshold float64
	// Warmup is the number of seconds dropped from the start. Negative or
	// NaN means the default, 10% of the span capped at one hour; zero
	// means none.
	Warmup float64
	// Windows is the number of window summaries (default 60, at least 6).
	// With Envelope it is a maximum: windows are made at least as long as the
	// collection cycle measured in the series, so that each sees a floor
	// (see the package comment).
	Windows int
	// Alpha is the significance level of the one-sided test (default 0.01).
	Alpha float64
	// MinPoints: fewer usable points than this give Insufficient
	// (default 10).
	MinPoints int
	// MinSpan in seconds: a shorter usable span gives Insufficient
	// (default 600, ten minutes).
	MinSpan float64
	// Envelope is for memory-like metrics with a GC sawtooth: each window
	// is summarised by its minimum (the floor). Otherwise by its median.
	Envelope bool
	// Rate is for metrics that are rates, such as the CPU a tree uses: what
	// harms is the level itself, so a rise that stays up is judged as much
	// as one that goes on climbing, and a single step counts. Windows are
	// summarised by their median whatever Envelope says, and the rising
	// verdict is Degradation, not Leak (see the package comment).
	Rate bool
	// Unit names the value unit in Result.Reason only (e.g. "MB").
	Unit string
}

// withDefaults fills in what o leaves open, given the span of the clean
// series in seconds.
func (o Options) withDefaults(span float64) Options {
	if o.Rate {
		o.Envelope = false
	}
	if !(o.Threshold > 0) { // +Inf stays: nothing is a leak
		o.Threshold = 0
	}
	if !(o.Warmup >= 0) { // negative or NaN
		o.Warmup = math.Min(DefaultWarmupFraction*span, DefaultWarmupCap)
	}
	if o.Windows <= 0 {
		o.Windows = DefaultWindows
	}
	o.Windows = max(o.Windows, minWindows)
	if !(o.Alpha > 0 && o.Alpha < 1) {
		o.Alpha = DefaultAlpha
	}
	if o.MinPoints <= 0 {
		o.MinPoints = DefaultMinPoints
	}
	if !(o.MinSpan > 0) {
		o.MinSpan = DefaultMinSpan
	}
	return o
}
