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
	clean := cleanSeries(pts)
	if len(clean) == 0 {
		r.Reason = "no usable points"
		return r
	}
	t0 := clean[0].T
	span := clean[len(clean)-1].T - t0
	o = o.withDefaults(span)
	start := t0 + o.Warmup
	used := clean[sort.Search(len(clean), func(i int) bool { return clean[i].T >= start }):]
	if len(used) == 0 {
		r.describe(clean)
		r.From, r.To = t0, clean[len(clean)-1].T
		r.Reason = "the warm-up of " + hours(o.Warmup) + " leaves no points"
		return r
	}
	r.describe(used)
	r.From, r.To = used[0].T, used[len(used)-1].T
	r.Points = len(used)
	if len(used) < o.MinPoints {
		r.Reason = sprintf("only %d usable points, need %d", len(used), o.MinPoints)
		return r
	}
	switch s := r.To - r.From; {
	case math.IsInf(s, 0):
		r.Reason = "the usable span is too large to compute"
		return r
	case s < o.MinSpan || s <= 0:
		r.Reason = sprintf("usable span %s is shorter than the %s needed", hours(s), hours(o.MinSpan))
		return r
	}

	w, reach := min(o.Windows, len(used)), 0.0
	if o.Envelope {
		// No window shorter than a collection cycle, so that each minimum
		// is a floor: fewer windows, and below minWindows of them, each
		// minimum taken over a whole cycle.
		if c := collectionCycle(used); c > 0 {
			if s := r.To - r.From; s < 3*tailCycles*c {
				r.Reason = sprintf("the last third (%s) holds fewer than %d collection cycles of %s: a climb between collections cannot be told from a leak",
					hours(s/3), tailCycles, hours(c))
				return r
			}
			w = min(w, max(minWindows, int(math.Min((r.To-r.From)/c, float64(w)))))
			reach = c
		}
	}
	xs, ys := summarize(used, w, o.Envelope, reach)
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
