package trend

import (
	"cmp"
	"math"
	"slices"
)

// MannKendall runs the Mann–Kendall trend test on y taken as equally spaced
// in time (Mann 1945; Kendall 1975). NaN and infinite entries are skipped.
//
// s is Kendall's S, the number of increasing pairs minus the number of
// decreasing ones. Its variance has the usual correction for ties and then
// the Hamed & Rao (1998) correction for serial correlation: the series is
// detrended with its Theil–Sen slope, the autocorrelation r_k of the ranks
// of the residuals is computed at every lag, and the lags significant at 5%
// (|r_k| > 1.96/√n) give the factor
//
//	n/n* = 1 + 2/(n(n-1)(n-2)) · Σ (n-k)(n-k-1)(n-k-2) r_k
//
// by which the variance is multiplied. The factor is kept at 1 or above:
// negative autocorrelation is not allowed to make the test bolder.
//
// z is the continuity-corrected normal score, (S-1)/σ for S > 0, (S+1)/σ for
// S < 0, else 0; positive z means rising. p is two-sided; the one-sided
// p-value for a rise is 1 - Φ(z), which is what Analyze uses.
//
// It costs O(n²); Analyze only calls it on window summaries.
func MannKendall(y []float64) (s, z, p float64) {
	v := make([]float64, 0, len(y))
	for _, f := range y {
		if isFinite(f) {
			v = append(v, f)
		}
	}
	n := len(v)
	if n < 2 {
		return 0, 0, 1
	}
	for i := range v {
		for j := i + 1; j < n; j++ {
			switch {
			case v[j] > v[i]:
				s++
			case v[j] < v[i]:
				s--
			}
		}
	}
	variance := kendallVariance(v) * hamedRaoFactor(v)
	if !(variance > 0) || math.IsInf(variance, 0) {
		return s, 0, 1
	}
	switch {
	case s > 0:
		z = (s - 1) / math.Sqrt(variance)
	case s < 0:
		z = (s + 1) / math.Sqrt(variance)
	}
	p = 2 * normalSF(math.Abs(z))
	return s, z, math.Min(p, 1)
}

// kendallVariance is Var(S) under no trend, corrected for ties.
func kendallVariance(v []float64) float64 {
	n := float64(len(v))
	variance := n * (n - 1) * (2*n + 5)
	sorted := slices.Clone(v)
	slices.Sort(sorted)
	for i := 0; i < len(sorted); {
		j := i + 1
		for j < len(sorted) && sorted[j] == sorted[i] {
			j++
		}
		if t := float64(j - i); t > 1 {
			variance -= t * (t - 1) * (2*t + 5)
		}
		i = j
	}
	return variance / 18
}

// hamedRaoFactor is n/n*, the variance inflation for serial correlation of
// Hamed & Rao (1998), never below 1.
func hamedRaoFactor(v []float64) float64 {
	n := len(v)
	if n < 3 {
		return 1
	}
	x := make([]float64, n)
	for i := range x {
		x[i] = float64(i)
	}
	slope, _ := TheilSen(x, v)
	res := make([]float64, n)
	for i := range v {
		res[i] = v[i] - slope*x[i]
	}
	r := ranks(res)
	var mean float64
	for _, f := range r {
		mean += f
	}
	mean /= float64(n)
	var denom float64
	for _, f := range r {
		denom += (f - mean) * (f - mean)
	}
	if denom == 0 {
		return 1
	}
	bound := 1.96 / math.Sqrt(float64(n))
	fn := float64(n)
	var sum float64
	for k := 1; k < n; k++ {
		var num float64
		for t := 0; t+k < n; t++ {
			num += (r[t] - mean) * (r[t+k] - mean)
		}
		rk := num / denom
		if math.Abs(rk) <= bound {
			continue
		}
		fk := float64(k)
		sum += (fn - fk) * (fn - fk - 1) * (fn - fk - 2) * rk
	}
	return math.Max(1, 1+2/(fn*(fn-1)*(fn-2))*sum)
}

// ranks gives 1-based ranks, ties sharing the mean of their ranks.
func ranks(v []float64) []float64 {
	idx := make([]int, len(v))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(v[a], v[b]) })
	r := make([]float64, len(v))
	for i := 0; i < len(idx); {
		j := i + 1
		for j < len(idx) && v[idx[j]] == v[idx[i]] {
			j++
		}
		mid := float64(i+j+1) / 2 // mean of ranks i+1 .. j
		for k := i; k < j; k++ {
			r[idx[k]] = mid
		}
		i = j
	}
	return r
}

// normalSF is the upper tail of the standard normal, 1 - Φ(z).
func normalSF(z float64) float64 { return 0.5 * math.Erfc(z/math.Sqrt2) }
