package trend

import "math"

// Verdict is what Analyze concludes about a series.
type Verdict string

// The verdicts. Leak and Degradation fail a soak run.
const (
	Leak Verdict = "leak"
	// Degradation is a rate's Leak (Options.Rate): the CPU a tree uses rose
	// at the threshold or faster and stayed up.
	Degradation  Verdict = "degradation"
	NoLeak       Verdict = "no_leak"
	Plateaued    Verdict = "grew_then_plateaued"
	Insufficient Verdict = "insufficient_data"
)

// Result is the verdict with the numbers behind it. It never holds NaN or
// an infinity, so it always encodes as JSON.
type Result struct {
	Verdict Verdict `json:"verdict"`
	Leak    bool    `json:"leak"` // Verdict == Leak
	// SlopePerHour is the Theil–Sen slope of the window summaries over
	// [From, To], in value units per hour. For a rate (Options.Rate) it is
	// the rise from the level at the start to the level at the end, per
	// hour between them, unless a late rise is the verdict.
	SlopePerHour float64 `json:"slope_per_hour"`
	// TailSlopePerHour is the same over the last third: does it persist.
	TailSlopePerHour float64 `json:"tail_slope_per_hour"`
	// Confidence is 1 - P.
	Confidence float64 `json:"confidence"`
	// P is the one-sided p-value of the corrected Mann–Kendall test for an
	// upward trend over [From, To].
	P float64 `json:"p"`
	// From and To are the T range the verdict holds for: after the
	// warm-up, and for a leak that begins late, from where it begins.
	From float64 `json:"from"`
	To   float64 `json:"to"`
	// Points is the number of usable points after the warm-up.
	Points int `json:"points"`
	// Reason is one sentence for people.
	Reason string `json:"reason"`
	// Min, Max, Mean, First and Last describe the usable points after the
	// warm-up (all finite points when there are none).
	Min   float64 `json:"min"`
	Max   float64 `json:"max"`
	Mean  float64 `json:"mean"`
	First float64 `json:"first"`
	Last  float64 `json:"last"`
}

// finite replaces NaN and infinities, which only arithmetic overflow on
// absurd inputs can make, so that a Result always encodes.
func (r *Result) finite() {
	for _, f := range []*float64{
		&r.SlopePerHour, &r.TailSlopePerHour, &r.Confidence, &r.P,
		&r.From, &r.To, &r.Min, &r.Max, &r.Mean, &r.First, &r.Last,
	} {
		if math.IsNaN(*f) || math.IsInf(*f, 0) {
			*f = 0
		}
	}
}
