package trend

import (
	"math"
	"sort"
)

// Analyze decides whether pts is leaking; see the package comment for the
// method. pts may be in any order and hold NaNs, infinities and repeated
// timestamps; non-finite points are skipped. It never panics. It costs
// O(n log n) at most, plus a constant for the statistics on the window
// summaries (259,200 points take milliseconds).
func Analyze(pts []Point, o Options) Result {
	r := analyze(pts, o)
	r.Leak = r.Verdict == Leak
	r.Confidence = 1 - r.P
	r.finite()
	return r
}

func analyze(pts []Point, o Options) Result {
	r := Result{Verdict: Insufficient, P: 1}
	sum, o, t0 := summaries(pts, o, &r)
	if sum.Reason != "" {
		r.Reason = sum.Reason
		return r
	}
	xs, ys := sum.X, sum.Y
	j := judge(xs, ys, o)
	r.Verdict = j.verdict
	r.SlopePerHour, r.P = j.slope(), j.whole.p
	r.TailSlopePerHour = j.tail.slope
	analysed := r.From
	if (j.verdict == Leak || j.verdict == Degradation) && j.from > 0 {
		r.From += j.from * 3600
	}
	r.Reason = j.reason(o, t0, analysed, r.From)
	return r
}

// Summary is what Analyze tests: one summary per window of time after the
// warm-up, the window's floor or median (see the package comment).
type Summary struct {
	// X is hours since From, Y the summaries.
	X, Y []float64
	// From and To are the T range after the warm-up.
	From, To float64
	// Reason says why there are no summaries, as Result.Reason does for
	// Insufficient; "" when there are.
	Reason string
}

// Summarize returns the window summaries Analyze would test pts with, for
// comparing runs on the same footing. It never panics.
func Summarize(pts []Point, o Options) Summary {
	var r Result
	s, _, _ := summaries(pts, o, &r)
	return s
}

// summaries cleans pts, applies the defaults, cuts the warm-up and makes
// the window summaries; on the way it fills r's descriptive fields. It
// returns o with its defaults and the first finite T.
func summaries(pts []Point, o Options, r *Result) (Summary, Options, float64) {
	clean := cleanSeries(pts)
	if len(clean) == 0 {
		return Summary{Reason: "no usable points"}, o, 0
	}
	t0 := clean[0].T
	span := clean[len(clean)-1].T - t0
	o = o.withDefaults(span)
	start := t0 + o.Warmup
	used := clean[sort.Search(len(clean), func(i int) bool { return clean[i].T >= start }):]
	if len(used) == 0 {
		r.describe(clean)
		r.From, r.To = t0, clean[len(clean)-1].T
		return Summary{From: r.From, To: r.To, Reason: "the warm-up of " + hours(o.Warmup) + " leaves no points"}, o, t0
	}
	r.describe(used)
	r.From, r.To = used[0].T, used[len(used)-1].T
	r.Points = len(used)
	sum := Summary{From: r.From, To: r.To}
	if len(used) < o.MinPoints {
		sum.Reason = sprintf("only %d usable points, need %d", len(used), o.MinPoints)
		return sum, o, t0
	}
	switch s := r.To - r.From; {
	case math.IsInf(s, 0):
		sum.Reason = "the usable span is too large to compute"
		return sum, o, t0
	case s < o.MinSpan || s <= 0:
		sum.Reason = sprintf("usable span %s is shorter than the %s needed", hours(s), hours(o.MinSpan))
		return sum, o, t0
	}

	w, reach := min(o.Windows, len(used)), 0.0
	if o.Envelope {
		// No window shorter than a collection cycle, so that each minimum
		// is a floor: fewer windows, and below minWindows of them, each
		// minimum taken over a whole cycle.
		if c := collectionCycle(used); c > 0 {
			tail := r.To - (r.To-r.From)/3
			n := 0
			for _, i := range collections(used) {
				if used[i].T >= tail {
					n++
				}
			}
			// A last third as long as tailCollections cycles that held
			// fewer collections has stopped cycling: its floors are its
			// level, whatever the cycles before it were.
			if n < tailCollections && (r.To-r.From)/3 < tailCollections*c {
				sum.Reason = sprintf("the last third (%s) holds %d collections (about one every %s) where %d are needed: a climb between collections cannot be told from a leak",
					hours((r.To-r.From)/3), n, hours(c), tailCollections)
				return sum, o, t0
			}
			w = min(w, max(minWindows, int(math.Min((r.To-r.From)/c, float64(w)))))
			reach = c
		}
	}
	sum.X, sum.Y = summarize(used, w, o.Envelope, reach)
	return sum, o, t0
}
