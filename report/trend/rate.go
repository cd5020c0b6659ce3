package trend

import (
	"slices"

	"github.com/soakrun/soakrun/report/internal/words"
)

// judgeRate applies the verdict rules for a rate (Options.Rate) to the
// window medians xs (hours from the first usable point) and ys. A rate is
// degraded when it rose and stayed up: the last third of the summaries
// lies above the first third by the one-sided rank-sum test at Alpha, and
// the level at the end stands at least Threshold per hour above the level
// at the start (the medians of the first and last tenth of the
// summaries), and the last third's median at least materialHours' worth of
// the threshold above the first third's. The rank-sum test, not
// Mann–Kendall, because a step is a
// change of level: Mann–Kendall's correction for serial correlation reads
// the two flat halves of a step as one long correlated stretch and
// doubts it. A step up that stays is therefore degradation, one that
// comes back is not, and bursts that leave the median where it was move
// nothing. A rise that begins late is caught by the last third alone
// (Mann–Kendall at Alpha, at Threshold, and as material), as for a leak.
func judgeRate(xs, ys []float64, o Options) judgement {
	th := o.Threshold
	m := len(ys)
	ts := max(0, m-max(2, (m+2)/3))
	third := m - ts
	j := judgement{
		verdict:   NoLeak,
		rate:      true,
		run:       trendOf(xs, ys),
		tail:      trendOf(xs[ts:], ys[ts:]),
		threshold: th,
		alpha:     o.Alpha,
	}
	j.whole = j.run
	j.rise, j.riseRate = levelChange(xs, ys)
	j.held = heldP(ys, third, ts)
	j.whole.p = j.held
	lift := median(slices.Clone(ys[ts:])) - median(slices.Clone(ys[:third]))
	if j.held < o.Alpha && j.riseRate >= th && j.riseRate > 0 && lift >= th*materialHours {
		j.verdict = Degradation
		return j
	}
	if j.tail.p < o.Alpha && j.tail.slope >= th && j.tail.slope > 0 && lift >= th*materialHours {
		j.lateRise(Degradation, xs, ys, ts, o)
	}
	return j
}

// slope is the rate the verdict reports: the Theil–Sen slope over its
// range, or for a rate that was not found late, its rise per hour.
func (j judgement) slope() float64 {
	if j.rate && !j.late {
		return j.riseRate
	}
	return j.whole.slope
}

// rateReason is reason for a rate that was not found late.
func (j judgement) rateReason(rate func(float64) string, unit string) string {
	switch {
	case j.verdict == Degradation:
		return sprintf("median rose %s%s, %s, and stayed up: the last third lies above the first (%s)",
			words.Number(j.rise), unit, rate(j.riseRate), words.P(j.held))
	case j.held < j.alpha:
		r, th := words.Distinct(j.riseRate, j.threshold)
		return sprintf("median rose %s%s, %s%s/h (%s), below the %s%s/h threshold",
			words.Number(j.rise), unit, r, unit, words.P(j.held), th, unit)
	case j.run.p < j.alpha && j.run.slope > 0:
		return sprintf("median rose %s (%s) but did not stay up: the last third is not above the first (%s)",
			rate(j.run.slope), words.P(j.run.p), words.P(j.held))
	default:
		return sprintf("the median's last third is not above its first (%s), %s from start to end", words.P(j.held), rate(j.riseRate))
	}
}

// heldP is the one-sided p-value that the last third of ys (from ts)
// lies above the first (up to third): the rank-sum test on the medians of
// heldBatches stretches of each third, not on the window medians
// themselves. Neighbouring window medians of a rate are not independent
// when its level wanders, as a service's CPU does on a shared host: tested
// one by one, minutes of wandering read as a change of level. Five
// stretches against five can still reach p = 0.006.
func heldP(ys []float64, third, ts int) float64 {
	return RankSum(batchMedians(ys[:third]), batchMedians(ys[ts:]))
}

// materialHours: a rate's rise is a degradation only when its last third's
// median stands at least this many hours' worth of the threshold above its
// first third's: 10 points at the default 2 points an hour. On a shared
// two-core host the CPU of stress-ng held at 20% moved its level 5 points
// within minutes in a 20-minute run and 8.5 points in an hour, up and
// back, as its neighbours' load came and went (README, "Verdicts"): many
// points an hour in a short run, and in the 20-minute one a step that
// stayed for its second half. A day-long run must rise far more than this
// to reach the threshold anyway; only runs of a few hours are affected.
const materialHours = 5.0

// heldBatches is how many stretches heldP cuts each third into.
const heldBatches = 5

// batchMedians are the medians of heldBatches equal stretches of v, or v
// itself when it is too short to cut.
func batchMedians(v []float64) []float64 {
	if len(v) < 2*heldBatches {
		return v
	}
	out := make([]float64, heldBatches)
	for b := range out {
		out[b] = median(slices.Clone(v[b*len(v)/heldBatches : (b+1)*len(v)/heldBatches]))
	}
	return out
}
