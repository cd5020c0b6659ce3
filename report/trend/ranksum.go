package trend

import (
	"math"
	"slices"
)

// RankSum is the one-sided Wilcoxon–Mann–Whitney rank-sum test that b
// tends to lie above a (Wilcoxon 1945; Mann & Whitney 1947): the normal
// approximation of U with the tie correction and a continuity correction.
// NaN and infinite entries are skipped. It returns p = 1 when either side
// is empty or every value is tied.
//
// It assumes the values are independent. Analyze only applies it to
// window medians of a rate, whose neighbours share no points.
func RankSum(a, b []float64) (p float64) { return normalSF(rankSumZ(a, b)) }

// rankSumZ is RankSum's normal score, positive when b lies above a, and
// -Inf when there is nothing to test.
func rankSumZ(a, b []float64) float64 {
	var v []float64
	na := 0
	for _, f := range a {
		if isFinite(f) {
			v = append(v, f)
			na++
		}
	}
	for _, f := range b {
		if isFinite(f) {
			v = append(v, f)
		}
	}
	nb := len(v) - na
	if na == 0 || nb == 0 {
		return math.Inf(-1)
	}
	r := ranks(v)
	var sumB float64
	for _, x := range r[na:] {
		sumB += x
	}
	fa, fb, n := float64(na), float64(nb), float64(len(v))
	u := sumB - fb*(fb+1)/2
	// The tie correction: Σ(t³ - t) over groups of equal values.
	var ties float64
	sorted := slices.Clone(r)
	slices.Sort(sorted)
	for i := 0; i < len(sorted); {
		j := i + 1
		for j < len(sorted) && sorted[j] == sorted[i] {
			j++
		}
		t := float64(j - i)
		ties += t*t*t - t
		i = j
	}
	variance := fa * fb / 12 * ((n + 1) - ties/(n*(n-1)))
	if !(variance > 0) {
		return math.Inf(-1)
	}
	return (u - fa*fb/2 - 0.5) / math.Sqrt(variance)
}
