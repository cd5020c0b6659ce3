package trend

import (
	"cmp"
	"slices"
)

// cleanSeries returns the finite points of pts sorted by T, leaving pts
// alone. Equal timestamps keep their order; they are not an error, and fall
// into the same window.
func cleanSeries(pts []Point) []Point {
	out := make([]Point, 0, len(pts))
	sorted := true
	for _, p := range pts {
		if !isFinite(p.T) || !isFinite(p.V) {
			continue
		}
		if len(out) > 0 && p.T < out[len(out)-1].T {
			sorted = false
		}
		out = append(out, p)
	}
	if !sorted {
		slices.SortStableFunc(out, func(a, b Point) int { return cmp.Compare(a.T, b.T) })
	}
	return out
}

// describe fills the descriptive fields of r from pts, which are sorted and
// finite.
func (r *Result) describe(pts []Point) {
	if len(pts) == 0 {
		return
	}
	r.Min, r.Max = pts[0].V, pts[0].V
	r.First, r.Last = pts[0].V, pts[len(pts)-1].V
	var mean float64
	for i, p := range pts {
		r.Min = min(r.Min, p.V)
		r.Max = max(r.Max, p.V)
		// A running mean cannot overflow where a sum of huge values would.
		mean += (p.V - mean) / float64(i+1)
	}
	r.Mean = mean
}
