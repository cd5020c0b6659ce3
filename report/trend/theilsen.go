package trend

import (
	"math"
	"slices"
)

// TheilSen returns the Theil–Sen line through (x, y): slope is the median of
// the slopes of all pairs with distinct x, intercept the median of
// y - slope*x. Pairs with a NaN or infinity are skipped, and only the first
// min(len(x), len(y)) entries are used. With no usable pair the slope is 0
// and the intercept the median of y (0 when there is none).
//
// It costs O(n²) time and memory, fine for n up to about 2000; Analyze only
// calls it on window summaries.
func TheilSen(x, y []float64) (slope, intercept float64) {
	n := min(len(x), len(y))
	xs := make([]float64, 0, n)
	ys := make([]float64, 0, n)
	for i := range n {
		if isFinite(x[i]) && isFinite(y[i]) {
			xs = append(xs, x[i])
			ys = append(ys, y[i])
		}
	}
	slopes := make([]float64, 0, len(xs)*(len(xs)-1)/2+1)
	for i := range xs {
		for j := i + 1; j < len(xs); j++ {
			dx := xs[j] - xs[i]
			if dx == 0 {
				continue
			}
			if s := (ys[j] - ys[i]) / dx; isFinite(s) {
				slopes = append(slopes, s)
			}
		}
	}
	if len(slopes) > 0 {
		slope = median(slopes)
	}
	res := make([]float64, 0, len(xs))
	for i := range xs {
		if r := ys[i] - slope*xs[i]; isFinite(r) {
			res = append(res, r)
		}
	}
	if len(res) > 0 {
		intercept = median(res)
	}
	return slope, intercept
}

// median sorts v in place and returns its median; v must not be empty.
func median(v []float64) float64 {
	slices.Sort(v)
	n := len(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return v[n/2-1]/2 + v[n/2]/2
}

func isFinite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
