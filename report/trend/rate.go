package trend

// judgeRate applies the verdict rules for a rate (Options.Rate) to the
// window medians xs (hours from the first usable point) and ys. A rate is
// degraded when it rose and stayed up: the last third of the summaries
// lies above the first third by the one-sided rank-sum test at Alpha, and
// the level at the end stands at least Threshold per hour above the level
// at the start (the medians of the first and last tenth of the
// summaries). The rank-sum test, not Mann–Kendall, because a step is a
// change of level: Mann–Kendall's correction for serial correlation reads
// the two flat halves of a step as one long correlated stretch and
// doubts it. A step up that stays is therefore degradation, one that
// comes back is not, and bursts that leave the median where it was move
// nothing. A rise that begins late is caught by the last third alone
// (Mann–Kendall at Alpha, at Threshold), as for a leak.
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
	j.held = RankSum(ys[:third], ys[ts:])
	j.whole.p = j.held
	if j.held < o.Alpha && j.riseRate >= th && j.riseRate > 0 {
		j.verdict = Degradation
		return j
	}
	if j.tail.p < o.Alpha && j.tail.slope >= th && j.tail.slope > 0 {
		j.verdict, j.late = Degradation, true
		j.from, j.whole = xs[ts], j.tail
		if k := onset(xs, ys, ts, th); k > 0 {
			if s := trendOf(xs[k:], ys[k:]); s.p < o.Alpha && s.slope >= th {
				j.from, j.whole, j.onset = xs[k], s, true
			}
		}
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
			num(j.rise), unit, rate(j.riseRate), pValue(j.held))
	case j.held < j.alpha:
		return sprintf("median rose %s%s, %s (%s), below the %s threshold",
			num(j.rise), unit, rate(j.riseRate), pValue(j.held), rate(j.threshold))
	case j.run.p < j.alpha && j.run.slope > 0:
		return sprintf("median rose %s (%s) but did not stay up: the last third is not above the first (%s)",
			rate(j.run.slope), pValue(j.run.p), pValue(j.held))
	default:
		return sprintf("the median's last third is not above its first (%s), %s from start to end", pValue(j.held), rate(j.riseRate))
	}
}
